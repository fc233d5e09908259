// The 8-lane double vector operations the math kernels are written in (src/vmath/*_impl.h), for
// AVX-512 (F, DQ, VL). Included only by isa_avx512.cpp, which is compiled for that ISA; every
// name here has internal linkage, so no AVX-512 code can leak into other translation units.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace lj::vmath {
namespace {

struct Avx512 {
    static constexpr int N = 8;
    using T = double;
    using D = __m512d;
    using I = __m512i; // int64 lanes
    using M = __mmask8;
    using F = __m256; // the same lanes as float

    static D dup(double x) { return _mm512_set1_pd(x); }
    static I idup(int64_t x) { return _mm512_set1_epi64(x); }
    static D load(const double *p) { return _mm512_loadu_pd(p); }
    static void store(double *p, D x) { _mm512_storeu_pd(p, x); }

    static D fma(D a, D b, D c) { return _mm512_fmadd_pd(a, b, c); }   // a b + c
    static D fms(D a, D b, D c) { return _mm512_fmsub_pd(a, b, c); }   // a b - c
    static D fnma(D a, D b, D c) { return _mm512_fnmadd_pd(a, b, c); } // c - a b
    static D min(D a, D b) { return _mm512_min_pd(a, b); }
    static D max(D a, D b) { return _mm512_max_pd(a, b); }
    static D sqrt(D a) { return _mm512_sqrt_pd(a); }

    // Quiet comparisons: NaN operands raise no invalid-operation flag.
    static M lt(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
    static M le(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
    static M gt(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
    static M ge(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
    static M eq(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
    static M nle(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_NLE_UQ); } // !(a <= b)
    static M nlt(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_NLT_UQ); } // !(a < b)
    static M nge(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_NGE_UQ); } // !(a >= b)
    static M isnan(D a) { return _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q); }
    static M ieq(I a, I b) { return _mm512_cmpeq_epi64_mask(a, b); }
    static M m_and(M a, M b) { return a & b; }
    static M m_or(M a, M b) { return a | b; }
    static M m_andnot(M a, M b) { return static_cast<M>(~a & b); } // !a & b
    static bool any(M m) { return m != 0; }
    static unsigned bits(M m) { return m; }
    static D sel(M m, D a, D b) { return _mm512_mask_blend_pd(m, b, a); } // m ? a : b
    static I isel(M m, I a, I b) { return _mm512_mask_blend_epi64(m, b, a); }

    static I as_int(D x) { return _mm512_castpd_si512(x); }
    static D as_double(I x) { return _mm512_castsi512_pd(x); }
    static I sll(I a, int n) { return _mm512_slli_epi64(a, static_cast<unsigned>(n)); }
    static I srl(I a, int n) { return _mm512_srli_epi64(a, static_cast<unsigned>(n)); }
    static I sra(I a, int n) { return _mm512_srai_epi64(a, static_cast<unsigned>(n)); }
    static I iand(I a, I b) { return _mm512_and_si512(a, b); }
    static I ior(I a, I b) { return _mm512_or_si512(a, b); }
    static I ixor(I a, I b) { return _mm512_xor_si512(a, b); }
    static I iadd(I a, I b) { return _mm512_add_epi64(a, b); }
    static I isub(I a, I b) { return _mm512_sub_epi64(a, b); }
    static I imin(I a, I b) { return _mm512_min_epi64(a, b); }
    static I imax(I a, I b) { return _mm512_max_epi64(a, b); }

    // t[idx & 15] of a 16-entry table: two permutes of registers, no memory gather.
    static D lut16(const double *t, I idx) {
        return _mm512_permutex2var_pd(_mm512_loadu_pd(t), idx, _mm512_loadu_pd(t + 8));
    }

    static F to_float(D x) { return _mm512_cvtpd_ps(x); }
    static D from_float(F x) { return _mm512_cvtps_pd(x); }
    // 12-bit estimates (the VEX instructions, as the AVX2 unit uses: the same bits per CPU)
    static F frcp(F a) { return _mm256_rcp_ps(a); }
    static F frsqrt(F a) { return _mm256_rsqrt_ps(a); }
};

// 16 float lanes, for the kernels that compute float results in float arithmetic.
struct Avx512F {
    static constexpr int N = 16;
    using T = float;
    using D = __m512;
    using I = __m512i; // int32 lanes
    using M = __mmask16;

    static D dup(float x) { return _mm512_set1_ps(x); }
    static I idup(int32_t x) { return _mm512_set1_epi32(x); }
    static D load(const float *p) { return _mm512_loadu_ps(p); }
    static void store(float *p, D x) { _mm512_storeu_ps(p, x); }
    static D fma(D a, D b, D c) { return _mm512_fmadd_ps(a, b, c); }
    static D fnma(D a, D b, D c) { return _mm512_fnmadd_ps(a, b, c); }
    static D fms(D a, D b, D c) { return _mm512_fmsub_ps(a, b, c); }
    static M nle(D a, D b) { return _mm512_cmp_ps_mask(a, b, _CMP_NLE_UQ); }
    static M nge(D a, D b) { return _mm512_cmp_ps_mask(a, b, _CMP_NGE_UQ); }
    static M ge(D a, D b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
    static M m_or(M a, M b) { return a | b; }
    static D from_int(I k) { return _mm512_cvtepi32_ps(k); }
    static I srl(I a, int n) { return _mm512_srli_epi32(a, static_cast<unsigned>(n)); }
    static bool any(M m) { return m != 0; }
    static unsigned bits(M m) { return m; }
    static D sel(M m, D a, D b) { return _mm512_mask_blend_ps(m, b, a); }
    static I as_int(D x) { return _mm512_castps_si512(x); }
    static D as_float(I x) { return _mm512_castsi512_ps(x); }
    static I sll(I a, int n) { return _mm512_slli_epi32(a, static_cast<unsigned>(n)); }
    static I sra(I a, int n) { return _mm512_srai_epi32(a, static_cast<unsigned>(n)); }
    static I iand(I a, I b) { return _mm512_and_si512(a, b); }
    static I iadd(I a, I b) { return _mm512_add_epi32(a, b); }
    static I isub(I a, I b) { return _mm512_sub_epi32(a, b); }
    static D lut16(const float *t, I idx) { return _mm512_permutexvar_ps(idx, _mm512_loadu_ps(t)); }
    // t[idx & 31] of a 32-entry table: one two-register permute.
    static D lut32(const float *t, I idx) {
        return _mm512_permutex2var_ps(_mm512_loadu_ps(t), idx, _mm512_loadu_ps(t + 16));
    }
};

} // namespace
} // namespace lj::vmath
