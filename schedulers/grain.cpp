// The grain heuristic: how many iterations a piece needs before running it on another thread
// pays for waking that thread.
#include "schedulers/control.h"

#include <algorithm>
#include <cmath>

namespace lj {
namespace {

// Work, in cost units (one streaming float64 a * b + c), that a piece must carry.
// MEASURED_BELOW
constexpr double kMinPieceUnits = 32768;

// Enough pieces to balance any pool; more would only add per-piece overhead.
constexpr int64_t kMaxPieces = 256;

} // namespace

int64_t grain_for(int64_t n, double cost_per_element) {
    if (!(cost_per_element > 0) || !std::isfinite(cost_per_element))
        cost_per_element = 1;
    const double min_piece = std::ceil(kMinPieceUnits / cost_per_element);
    const int64_t grain = min_piece >= 1e18 ? int64_t(1e18) : std::max<int64_t>(1, min_piece);
    return std::max(grain, (std::max<int64_t>(n, 0) + kMaxPieces - 1) / kMaxPieces);
}

} // namespace lj
