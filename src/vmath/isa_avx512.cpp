// The vector math kernels compiled for AVX-512: 8-lane double and 16-lane float entry points
// (float lanes are computed in double, two halves of 8, or in float arithmetic). CMakeLists.txt
// compiles this file with -mavx512f -mavx512dq -mavx512vl -mfma and without FMA contraction, so it
// rounds exactly as the AVX2 unit does; the registry uses it only on CPUs with those features.
#include "vmath/table.h"

#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__AVX512VL__) && defined(__FMA__)

// GCC 12's AVX-512 headers start some intrinsics from an undefined register, which its
// -Wuninitialized reports at every inlined use.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "vmath/simd_avx512.h"

#include "vmath/angle_impl.h"
#include "vmath/exp_impl.h"
#include "vmath/expf_impl.h"
#include "vmath/float_impl.h"
#include "vmath/hypot_impl.h"
#include "vmath/log_impl.h"
#include "vmath/logf_impl.h"
#include "vmath/pow_impl.h"
#include "vmath/trig_impl.h"

namespace lj::vmath {
namespace {

using S = Avx512;

inline __m512d lo_half(__m512 x) {
    return _mm512_cvtps_pd(_mm512_castps512_ps256(x));
}
inline __m512d hi_half(__m512 x) {
    return _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
}
inline __m512 join(__m512d lo, __m512d hi) {
    const __m256 l = _mm512_cvtpd_ps(lo), h = _mm512_cvtpd_ps(hi);
    return _mm512_castpd_ps(
        _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(l)), _mm256_castps_pd(h), 1));
}

} // namespace
} // namespace lj::vmath

// Entry points: C linkage so their addresses are plain function pointers in the table.
#define LJ_VM_UNARY(name, kernel, fkernel)                                                         \
    extern "C" __m512d lj_vm_##name##_e8(__m512d x) {                                              \
        return lj::vmath::kernel<lj::vmath::S>(x);                                                 \
    }                                                                                              \
    extern "C" __m512 lj_vm_##name##f_e16(__m512 x) {                                              \
        using namespace lj::vmath;                                                                 \
        return join(fkernel<S>(lo_half(x)), fkernel<S>(hi_half(x)));                               \
    }
#define LJ_VM_UNARY_F(name, kernel, fkernel)                                                       \
    extern "C" __m512d lj_vm_##name##_e8(__m512d x) {                                              \
        return lj::vmath::kernel<lj::vmath::S>(x);                                                 \
    }                                                                                              \
    extern "C" __m512 lj_vm_##name##f_e16(__m512 x) {                                              \
        return lj::vmath::fkernel<lj::vmath::Avx512F>(x);                                          \
    }
#define LJ_VM_BINARY(name, kernel, fkernel)                                                        \
    extern "C" __m512d lj_vm_##name##_e8(__m512d x, __m512d y) {                                   \
        return lj::vmath::kernel<lj::vmath::S>(x, y);                                              \
    }                                                                                              \
    extern "C" __m512 lj_vm_##name##f_e16(__m512 x, __m512 y) {                                    \
        using namespace lj::vmath;                                                                 \
        return join(fkernel<S>(lo_half(x), lo_half(y)), fkernel<S>(hi_half(x), hi_half(y)));       \
    }
#include "vmath/functions.inc"
#undef LJ_VM_UNARY
#undef LJ_VM_UNARY_F
#undef LJ_VM_BINARY

namespace lj::vmath {

EntryTable avx512_entries() {
#define LJ_VM_UNARY(name, kernel, fkernel)                                                         \
    {#name, 1, reinterpret_cast<void *>(&lj_vm_##name##_e8),                                       \
     reinterpret_cast<void *>(&lj_vm_##name##f_e16)},
#define LJ_VM_UNARY_F(name, kernel, fkernel) LJ_VM_UNARY(name, kernel, fkernel)
#define LJ_VM_BINARY(name, kernel, fkernel)                                                        \
    {#name, 2, reinterpret_cast<void *>(&lj_vm_##name##_e8),                                       \
     reinterpret_cast<void *>(&lj_vm_##name##f_e16)},
    static const EntryPoint entries[] = {
#include "vmath/functions.inc"
    };
#undef LJ_VM_UNARY
#undef LJ_VM_UNARY_F
#undef LJ_VM_BINARY
    return {entries, static_cast<int>(sizeof entries / sizeof entries[0])};
}

} // namespace lj::vmath

#else

lj::vmath::EntryTable lj::vmath::avx512_entries() {
    return {nullptr, 0};
}

#endif
