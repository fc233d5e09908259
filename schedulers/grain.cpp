// The grain heuristic: how many iterations a piece needs before running it on another thread
// pays for handing it over.
#include "schedulers/control.h"

#include <algorithm>
#include <cmath>

namespace lj {
namespace {

// Work, in cost units, that each piece must carry; run() splits only n >= 2 * grain.
// Measured with bench/cpp/scheduler_bench.cpp on 2 cores (Xeon, KVM, otherwise idle), pool hot
// (calls back to back): a call costs 0.5 us (tbb) / 1.0 us (omp) over serial; one unit, a
// float64 a * b + c streaming from cache, takes 0.24-0.28 ns. Two threads beat one from about
// 4 us of serial work: n = 8192 (omp) to 12288-16384 (tbb) for the stream, n = 600-1024 for a
// scalar libm exp (13 units). Twice that keeps parallel clearly ahead: n = 2 * 16384 runs the
// stream in 0.65 of the serial time on either layer. A cold pool needs 16 pieces
// (parallel_region.cpp). Other costs on this machine: vectorized (libmvec AVX2) exp or sin
// ~3.5 units, scalar libm exp 13, scalar sin 18.
constexpr double kMinPieceUnits = 16384;

// Enough pieces to balance any pool; more would only add per-piece overhead.
constexpr int64_t kMaxPieces = 256;

} // namespace

int64_t grain_for(int64_t n, double cost_per_element) {
    if (!(cost_per_element > 0) || !std::isfinite(cost_per_element))
        cost_per_element = 1;
    const double min_piece = std::ceil(kMinPieceUnits / cost_per_element);
    const int64_t grain = std::max<int64_t>(1, static_cast<int64_t>(min_piece));
    return std::max(grain, (std::max<int64_t>(n, 0) + kMaxPieces - 1) / kMaxPieces);
}

} // namespace lj
