// The double vector operations the math kernels are written in (src/vmath/*_impl.h), for AVX2
// with FMA: Avx2<4> in ymm registers, Avx2<2> in xmm registers (the 2-lane variants and the
// scalar entry points). Included only by isa_avx2.cpp; every name here has internal linkage.
// Each operation rounds exactly as its Avx512 twin, so all widths give the same bits.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace lj::vmath {
namespace {

template <int W> struct Avx2;

template <> struct Avx2<4> {
    static constexpr int N = 4;
    using T = double;
    using D = __m256d;
    using I = __m256i; // int64 lanes
    using M = __m256d; // all-one or all-zero lanes
    using F = __m128;  // the same lanes as float

    static D dup(double x) { return _mm256_set1_pd(x); }
    static I idup(int64_t x) { return _mm256_set1_epi64x(x); }
    static D load(const double *p) { return _mm256_loadu_pd(p); }
    static void store(double *p, D x) { _mm256_storeu_pd(p, x); }

    static D fma(D a, D b, D c) { return _mm256_fmadd_pd(a, b, c); }
    static D fms(D a, D b, D c) { return _mm256_fmsub_pd(a, b, c); }
    static D fnma(D a, D b, D c) { return _mm256_fnmadd_pd(a, b, c); }
    static D min(D a, D b) { return _mm256_min_pd(a, b); }
    static D max(D a, D b) { return _mm256_max_pd(a, b); }
    static D sqrt(D a) { return _mm256_sqrt_pd(a); }

    static M lt(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
    static M le(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
    static M gt(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
    static M ge(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
    static M eq(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
    static M nle(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_NLE_UQ); }
    static M nlt(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_NLT_UQ); }
    static M nge(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_NGE_UQ); }
    static M isnan(D a) { return _mm256_cmp_pd(a, a, _CMP_UNORD_Q); }
    static M ieq(I a, I b) { return _mm256_castsi256_pd(_mm256_cmpeq_epi64(a, b)); }
    static M m_and(M a, M b) { return _mm256_and_pd(a, b); }
    static M m_or(M a, M b) { return _mm256_or_pd(a, b); }
    static M m_andnot(M a, M b) { return _mm256_andnot_pd(a, b); }
    static bool any(M m) { return _mm256_movemask_pd(m) != 0; }
    static unsigned bits(M m) { return static_cast<unsigned>(_mm256_movemask_pd(m)); }
    static D sel(M m, D a, D b) { return _mm256_blendv_pd(b, a, m); }
    static I isel(M m, I a, I b) {
        return _mm256_castpd_si256(
            _mm256_blendv_pd(_mm256_castsi256_pd(b), _mm256_castsi256_pd(a), m));
    }

    static I as_int(D x) { return _mm256_castpd_si256(x); }
    static D as_double(I x) { return _mm256_castsi256_pd(x); }
    static I sll(I a, int n) { return _mm256_slli_epi64(a, n); }
    static I srl(I a, int n) { return _mm256_srli_epi64(a, n); }
    static I sra(I a, int n) {
        // AVX2 has no 64-bit arithmetic shift: shift logically, then extend the sign.
        const I sign = _mm256_set1_epi64x(int64_t(1) << (63 - n));
        const I s = _mm256_srli_epi64(a, n);
        return _mm256_sub_epi64(_mm256_xor_si256(s, sign), sign);
    }
    static I iand(I a, I b) { return _mm256_and_si256(a, b); }
    static I ior(I a, I b) { return _mm256_or_si256(a, b); }
    static I ixor(I a, I b) { return _mm256_xor_si256(a, b); }
    static I iadd(I a, I b) { return _mm256_add_epi64(a, b); }
    static I isub(I a, I b) { return _mm256_sub_epi64(a, b); }
    static I imin(I a, I b) { return isel(_mm256_castsi256_pd(_mm256_cmpgt_epi64(a, b)), b, a); }
    static I imax(I a, I b) { return isel(_mm256_castsi256_pd(_mm256_cmpgt_epi64(a, b)), a, b); }

    static D lut16(const double *t, I idx) {
        return _mm256_i64gather_pd(t, _mm256_and_si256(idx, _mm256_set1_epi64x(15)), 8);
    }

    static F to_float(D x) { return _mm256_cvtpd_ps(x); }
    static D from_float(F x) { return _mm256_cvtps_pd(x); }
    static F frcp(F a) { return _mm_rcp_ps(a); }
    static F frsqrt(F a) { return _mm_rsqrt_ps(a); }
};

template <> struct Avx2<2> {
    static constexpr int N = 2;
    using T = double;
    using D = __m128d;
    using I = __m128i;
    using M = __m128d;
    using F = __m128; // lanes 0-1 repeated in 2-3

    static D dup(double x) { return _mm_set1_pd(x); }
    static I idup(int64_t x) { return _mm_set1_epi64x(x); }
    static D load(const double *p) { return _mm_loadu_pd(p); }
    static void store(double *p, D x) { _mm_storeu_pd(p, x); }

    static D fma(D a, D b, D c) { return _mm_fmadd_pd(a, b, c); }
    static D fms(D a, D b, D c) { return _mm_fmsub_pd(a, b, c); }
    static D fnma(D a, D b, D c) { return _mm_fnmadd_pd(a, b, c); }
    static D min(D a, D b) { return _mm_min_pd(a, b); }
    static D max(D a, D b) { return _mm_max_pd(a, b); }
    static D sqrt(D a) { return _mm_sqrt_pd(a); }

    static M lt(D a, D b) { return _mm_cmp_pd(a, b, _CMP_LT_OQ); }
    static M le(D a, D b) { return _mm_cmp_pd(a, b, _CMP_LE_OQ); }
    static M gt(D a, D b) { return _mm_cmp_pd(a, b, _CMP_GT_OQ); }
    static M ge(D a, D b) { return _mm_cmp_pd(a, b, _CMP_GE_OQ); }
    static M eq(D a, D b) { return _mm_cmp_pd(a, b, _CMP_EQ_OQ); }
    static M nle(D a, D b) { return _mm_cmp_pd(a, b, _CMP_NLE_UQ); }
    static M nlt(D a, D b) { return _mm_cmp_pd(a, b, _CMP_NLT_UQ); }
    static M nge(D a, D b) { return _mm_cmp_pd(a, b, _CMP_NGE_UQ); }
    static M isnan(D a) { return _mm_cmp_pd(a, a, _CMP_UNORD_Q); }
    static M ieq(I a, I b) { return _mm_castsi128_pd(_mm_cmpeq_epi64(a, b)); }
    static M m_and(M a, M b) { return _mm_and_pd(a, b); }
    static M m_or(M a, M b) { return _mm_or_pd(a, b); }
    static M m_andnot(M a, M b) { return _mm_andnot_pd(a, b); }
    static bool any(M m) { return _mm_movemask_pd(m) != 0; }
    static unsigned bits(M m) { return static_cast<unsigned>(_mm_movemask_pd(m)); }
    static D sel(M m, D a, D b) { return _mm_blendv_pd(b, a, m); }
    static I isel(M m, I a, I b) {
        return _mm_castpd_si128(_mm_blendv_pd(_mm_castsi128_pd(b), _mm_castsi128_pd(a), m));
    }

    static I as_int(D x) { return _mm_castpd_si128(x); }
    static D as_double(I x) { return _mm_castsi128_pd(x); }
    static I sll(I a, int n) { return _mm_slli_epi64(a, n); }
    static I srl(I a, int n) { return _mm_srli_epi64(a, n); }
    static I sra(I a, int n) {
        const I sign = _mm_set1_epi64x(int64_t(1) << (63 - n));
        const I s = _mm_srli_epi64(a, n);
        return _mm_sub_epi64(_mm_xor_si128(s, sign), sign);
    }
    static I iand(I a, I b) { return _mm_and_si128(a, b); }
    static I ior(I a, I b) { return _mm_or_si128(a, b); }
    static I ixor(I a, I b) { return _mm_xor_si128(a, b); }
    static I iadd(I a, I b) { return _mm_add_epi64(a, b); }
    static I isub(I a, I b) { return _mm_sub_epi64(a, b); }
    static I imin(I a, I b) { return isel(_mm_castsi128_pd(_mm_cmpgt_epi64(a, b)), b, a); }
    static I imax(I a, I b) { return isel(_mm_castsi128_pd(_mm_cmpgt_epi64(a, b)), a, b); }

    static D lut16(const double *t, I idx) {
        return _mm_i64gather_pd(t, _mm_and_si128(idx, _mm_set1_epi64x(15)), 8);
    }

    // Both halves hold the two lanes, so float operations on all four see real operands.
    static F to_float(D x) {
        const __m128 f = _mm_cvtpd_ps(x);
        return _mm_movelh_ps(f, f);
    }
    static D from_float(F x) { return _mm_cvtps_pd(x); }
    static F frcp(F a) { return _mm_rcp_ps(a); }
    static F frsqrt(F a) { return _mm_rsqrt_ps(a); }
};

// Float lanes, for the kernels that compute float results in float arithmetic: Avx2F<8> in ymm
// registers, Avx2F<4> in xmm registers (the 4-lane variants and the scalar entry points).
template <int W> struct Avx2F;

template <> struct Avx2F<8> {
    static constexpr int N = 8;
    using T = float;
    using D = __m256;
    using I = __m256i; // int32 lanes
    using M = __m256;

    static D dup(float x) { return _mm256_set1_ps(x); }
    static I idup(int32_t x) { return _mm256_set1_epi32(x); }
    static D load(const float *p) { return _mm256_loadu_ps(p); }
    static void store(float *p, D x) { _mm256_storeu_ps(p, x); }
    static D fma(D a, D b, D c) { return _mm256_fmadd_ps(a, b, c); }
    static D fnma(D a, D b, D c) { return _mm256_fnmadd_ps(a, b, c); }
    static D fms(D a, D b, D c) { return _mm256_fmsub_ps(a, b, c); }
    static M nle(D a, D b) { return _mm256_cmp_ps(a, b, _CMP_NLE_UQ); }
    static M nge(D a, D b) { return _mm256_cmp_ps(a, b, _CMP_NGE_UQ); }
    static M ge(D a, D b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
    static M m_or(M a, M b) { return _mm256_or_ps(a, b); }
    static D from_int(I k) { return _mm256_cvtepi32_ps(k); }
    static I srl(I a, int n) { return _mm256_srli_epi32(a, n); }
    static bool any(M m) { return _mm256_movemask_ps(m) != 0; }
    static unsigned bits(M m) { return static_cast<unsigned>(_mm256_movemask_ps(m)); }
    static D sel(M m, D a, D b) { return _mm256_blendv_ps(b, a, m); }
    static I as_int(D x) { return _mm256_castps_si256(x); }
    static D as_float(I x) { return _mm256_castsi256_ps(x); }
    static I sll(I a, int n) { return _mm256_slli_epi32(a, n); }
    static I sra(I a, int n) { return _mm256_srai_epi32(a, n); }
    static I iand(I a, I b) { return _mm256_and_si256(a, b); }
    static I iadd(I a, I b) { return _mm256_add_epi32(a, b); }
    static I isub(I a, I b) { return _mm256_sub_epi32(a, b); }
    static D lut16(const float *t, I idx) {
        return _mm256_i32gather_ps(t, _mm256_and_si256(idx, _mm256_set1_epi32(15)), 4);
    }
    static D lut32(const float *t, I idx) {
        return _mm256_i32gather_ps(t, _mm256_and_si256(idx, _mm256_set1_epi32(31)), 4);
    }
};

template <> struct Avx2F<4> {
    static constexpr int N = 4;
    using T = float;
    using D = __m128;
    using I = __m128i;
    using M = __m128;

    static D dup(float x) { return _mm_set1_ps(x); }
    static I idup(int32_t x) { return _mm_set1_epi32(x); }
    static D load(const float *p) { return _mm_loadu_ps(p); }
    static void store(float *p, D x) { _mm_storeu_ps(p, x); }
    static D fma(D a, D b, D c) { return _mm_fmadd_ps(a, b, c); }
    static D fnma(D a, D b, D c) { return _mm_fnmadd_ps(a, b, c); }
    static D fms(D a, D b, D c) { return _mm_fmsub_ps(a, b, c); }
    static M nle(D a, D b) { return _mm_cmp_ps(a, b, _CMP_NLE_UQ); }
    static M nge(D a, D b) { return _mm_cmp_ps(a, b, _CMP_NGE_UQ); }
    static M ge(D a, D b) { return _mm_cmp_ps(a, b, _CMP_GE_OQ); }
    static M m_or(M a, M b) { return _mm_or_ps(a, b); }
    static D from_int(I k) { return _mm_cvtepi32_ps(k); }
    static I srl(I a, int n) { return _mm_srli_epi32(a, n); }
    static bool any(M m) { return _mm_movemask_ps(m) != 0; }
    static unsigned bits(M m) { return static_cast<unsigned>(_mm_movemask_ps(m)); }
    static D sel(M m, D a, D b) { return _mm_blendv_ps(b, a, m); }
    static I as_int(D x) { return _mm_castps_si128(x); }
    static D as_float(I x) { return _mm_castsi128_ps(x); }
    static I sll(I a, int n) { return _mm_slli_epi32(a, n); }
    static I sra(I a, int n) { return _mm_srai_epi32(a, n); }
    static I iand(I a, I b) { return _mm_and_si128(a, b); }
    static I iadd(I a, I b) { return _mm_add_epi32(a, b); }
    static I isub(I a, I b) { return _mm_sub_epi32(a, b); }
    static D lut16(const float *t, I idx) {
        return _mm_i32gather_ps(t, _mm_and_si128(idx, _mm_set1_epi32(15)), 4);
    }
    static D lut32(const float *t, I idx) {
        return _mm_i32gather_ps(t, _mm_and_si128(idx, _mm_set1_epi32(31)), 4);
    }
};

} // namespace
} // namespace lj::vmath
