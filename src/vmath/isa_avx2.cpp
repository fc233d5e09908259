// The vector math kernels compiled for AVX2 with FMA: 4-lane double and 8-lane float entry
// points in ymm registers, 2-lane double and 4-lane float ones in xmm registers, and the scalar
// functions (the 2-lane kernels on a broadcast argument, so a scalar call and a vector lane give
// the same bits). Float lanes are computed in double, or in float arithmetic (exp). CMakeLists.txt
// compiles this file with -mavx2 -mfma and without FMA contraction; the registry uses it only on
// CPUs with both.
#include "vmath/table.h"

#if defined(__AVX2__) && defined(__FMA__)

#include "vmath/simd_avx2.h"

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

using Y = Avx2<4>;
using X = Avx2<2>;

inline __m256d lo_half(__m256 x) {
    return _mm256_cvtps_pd(_mm256_castps256_ps128(x));
}
inline __m256d hi_half(__m256 x) {
    return _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1));
}
inline __m256 join(__m256d lo, __m256d hi) {
    return _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo));
}
inline __m128d bcast(double x) {
    return _mm_set1_pd(x);
}
// The float result, with the other lanes of its register the same value or zero: callers may
// convert the whole register (float16 conversions do), and a stray huge lane would raise a
// spurious overflow flag.
inline float narrow(__m128d r) {
    return _mm_cvtss_f32(_mm_cvtpd_ps(r));
}

} // namespace
} // namespace lj::vmath

#define LJ_VM_UNARY(name, kernel, fkernel)                                                         \
    extern "C" __m256d lj_vm_##name##_d4(__m256d x) {                                              \
        return lj::vmath::kernel<lj::vmath::Y>(x);                                                 \
    }                                                                                              \
    extern "C" __m256 lj_vm_##name##f_d8(__m256 x) {                                               \
        using namespace lj::vmath;                                                                 \
        return join(fkernel<Y>(lo_half(x)), fkernel<Y>(hi_half(x)));                               \
    }                                                                                              \
    extern "C" __m128d lj_vm_##name##_b2(__m128d x) {                                              \
        return lj::vmath::kernel<lj::vmath::X>(x);                                                 \
    }                                                                                              \
    extern "C" __m128 lj_vm_##name##f_b4(__m128 x) {                                               \
        using namespace lj::vmath;                                                                 \
        return _mm256_cvtpd_ps(fkernel<Y>(_mm256_cvtps_pd(x)));                                    \
    }                                                                                              \
    extern "C" double lj_vm_##name(double x) {                                                     \
        using namespace lj::vmath;                                                                 \
        return _mm_cvtsd_f64(kernel<X>(bcast(x)));                                                 \
    }                                                                                              \
    extern "C" float lj_vm_##name##f(float x) {                                                    \
        using namespace lj::vmath;                                                                 \
        return narrow(fkernel<X>(bcast(x)));                                                       \
    }
#define LJ_VM_UNARY_F(name, kernel, fkernel)                                                       \
    extern "C" __m256d lj_vm_##name##_d4(__m256d x) {                                              \
        return lj::vmath::kernel<lj::vmath::Y>(x);                                                 \
    }                                                                                              \
    extern "C" __m256 lj_vm_##name##f_d8(__m256 x) {                                               \
        return lj::vmath::fkernel<lj::vmath::Avx2F<8>>(x);                                         \
    }                                                                                              \
    extern "C" __m128d lj_vm_##name##_b2(__m128d x) {                                              \
        return lj::vmath::kernel<lj::vmath::X>(x);                                                 \
    }                                                                                              \
    extern "C" __m128 lj_vm_##name##f_b4(__m128 x) {                                               \
        return lj::vmath::fkernel<lj::vmath::Avx2F<4>>(x);                                         \
    }                                                                                              \
    extern "C" double lj_vm_##name(double x) {                                                     \
        using namespace lj::vmath;                                                                 \
        return _mm_cvtsd_f64(kernel<X>(bcast(x)));                                                 \
    }                                                                                              \
    extern "C" float lj_vm_##name##f(float x) {                                                    \
        return _mm_cvtss_f32(lj::vmath::fkernel<lj::vmath::Avx2F<4>>(_mm_set1_ps(x)));             \
    }
#define LJ_VM_BINARY(name, kernel, fkernel)                                                        \
    extern "C" __m256d lj_vm_##name##_d4(__m256d x, __m256d y) {                                   \
        return lj::vmath::kernel<lj::vmath::Y>(x, y);                                              \
    }                                                                                              \
    extern "C" __m256 lj_vm_##name##f_d8(__m256 x, __m256 y) {                                     \
        using namespace lj::vmath;                                                                 \
        return join(fkernel<Y>(lo_half(x), lo_half(y)), fkernel<Y>(hi_half(x), hi_half(y)));       \
    }                                                                                              \
    extern "C" __m128d lj_vm_##name##_b2(__m128d x, __m128d y) {                                   \
        return lj::vmath::kernel<lj::vmath::X>(x, y);                                              \
    }                                                                                              \
    extern "C" __m128 lj_vm_##name##f_b4(__m128 x, __m128 y) {                                     \
        using namespace lj::vmath;                                                                 \
        return _mm256_cvtpd_ps(fkernel<Y>(_mm256_cvtps_pd(x), _mm256_cvtps_pd(y)));                \
    }                                                                                              \
    extern "C" double lj_vm_##name(double x, double y) {                                           \
        using namespace lj::vmath;                                                                 \
        return _mm_cvtsd_f64(kernel<X>(bcast(x), bcast(y)));                                       \
    }                                                                                              \
    extern "C" float lj_vm_##name##f(float x, float y) {                                           \
        using namespace lj::vmath;                                                                 \
        return narrow(fkernel<X>(bcast(x), bcast(y)));                                             \
    }
#include "vmath/functions.inc"
#undef LJ_VM_UNARY
#undef LJ_VM_UNARY_F
#undef LJ_VM_BINARY

// sincos(x, &s, &c) with the bits of sin(x) and cos(x): code generation may merge a sin and a
// cos of one argument into this call.
extern "C" void lj_vm_sincos(double x, double *s, double *c) {
    *s = lj_vm_sin(x);
    *c = lj_vm_cos(x);
}
extern "C" void lj_vm_sincosf(float x, float *s, float *c) {
    *s = lj_vm_sinf(x);
    *c = lj_vm_cosf(x);
}

namespace lj::vmath {

#define LJ_VM_UNARY(name, kernel, fkernel) LJ_VM_ROW(name, 1)
#define LJ_VM_UNARY_F(name, kernel, fkernel) LJ_VM_ROW(name, 1)
#define LJ_VM_BINARY(name, kernel, fkernel) LJ_VM_ROW(name, 2)

EntryTable avx2_entries() {
#define LJ_VM_ROW(name, n)                                                                         \
    {#name, n, reinterpret_cast<void *>(&lj_vm_##name##_d4),                                       \
     reinterpret_cast<void *>(&lj_vm_##name##f_d8)},
    static const EntryPoint entries[] = {
#include "vmath/functions.inc"
    };
#undef LJ_VM_ROW
    return {entries, static_cast<int>(sizeof entries / sizeof entries[0])};
}

EntryTable xmm_entries() {
#define LJ_VM_ROW(name, n)                                                                         \
    {#name, n, reinterpret_cast<void *>(&lj_vm_##name##_b2),                                       \
     reinterpret_cast<void *>(&lj_vm_##name##f_b4)},
    static const EntryPoint entries[] = {
#include "vmath/functions.inc"
    };
#undef LJ_VM_ROW
    return {entries, static_cast<int>(sizeof entries / sizeof entries[0])};
}

EntryTable scalar_entries() {
#define LJ_VM_ROW(name, n)                                                                         \
    {#name, n, reinterpret_cast<void *>(&lj_vm_##name), reinterpret_cast<void *>(&lj_vm_##name##f)},
    static const EntryPoint entries[] = {
#include "vmath/functions.inc"
    };
#undef LJ_VM_ROW
    return {entries, static_cast<int>(sizeof entries / sizeof entries[0])};
}

EntryTable sincos_entries() {
    static const EntryPoint entries[] = {{"sincos", 1, reinterpret_cast<void *>(&lj_vm_sincos),
                                          reinterpret_cast<void *>(&lj_vm_sincosf)}};
    return {entries, 1};
}

#undef LJ_VM_UNARY
#undef LJ_VM_UNARY_F
#undef LJ_VM_BINARY

} // namespace lj::vmath

#else

lj::vmath::EntryTable lj::vmath::avx2_entries() {
    return {nullptr, 0};
}
lj::vmath::EntryTable lj::vmath::xmm_entries() {
    return {nullptr, 0};
}
lj::vmath::EntryTable lj::vmath::scalar_entries() {
    return {nullptr, 0};
}
lj::vmath::EntryTable lj::vmath::sincos_entries() {
    return {nullptr, 0};
}

#endif
