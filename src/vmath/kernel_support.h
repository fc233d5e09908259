// Building blocks of the math kernels, written once for any vector traits S (simd_avx512.h,
// simd_avx2.h): error-free transformations (double-double arithmetic), polynomial evaluation,
// exponent bit manipulation, and the per-lane fallback for the rare lanes a kernel's fast path
// does not cover. Internal linkage: each ISA translation unit compiles its own copy.
#pragma once

#include <cstdint>
#include <cstring>

namespace lj::vmath {
namespace {

// Everything a kernel calls is inlined into its entry point: GCC's heuristics would otherwise
// leave calls (with vector arguments on the stack) in the hot path.
#define LJ_VM_INLINE [[gnu::always_inline]] inline

// Shorthands for the traits' types inside a kernel template.
#define LJ_VM_TYPES(S)                                                                             \
    using D [[maybe_unused]] = typename S::D;                                                      \
    using I [[maybe_unused]] = typename S::I;                                                      \
    using M [[maybe_unused]] = typename S::M

constexpr double kShifter = 0x1.8p52; // x + kShifter rounds x to an integer in the low bits
constexpr int64_t kShifterBits = 0x4338000000000000;

template <class S> struct Dd { typename S::D hi, lo; };

// s + e == a + b exactly (Knuth's TwoSum: no condition on the operands).
template <class S>
LJ_VM_INLINE void two_sum(typename S::D a, typename S::D b, typename S::D &s, typename S::D &e) {
    s = a + b;
    typename S::D bb = s - a;
    e = (a - (s - bb)) + (b - bb);
}

// s + e == a + b exactly when |a| >= |b| or a == 0 (Dekker's Fast2Sum).
template <class S>
LJ_VM_INLINE void fast_two_sum(typename S::D a, typename S::D b, typename S::D &s,
                               typename S::D &e) {
    s = a + b;
    e = b - (s - a);
}

// p + e == a b exactly (barring underflow).
template <class S>
LJ_VM_INLINE void two_prod(typename S::D a, typename S::D b, typename S::D &p, typename S::D &e) {
    p = a * b;
    e = S::fms(a, b, p);
}

// c[Lo] + c[Lo+1] t + ... + c[Lo+Nn-1] t^(Nn-1) by Estrin's scheme: split at the largest power
// of two below Nn, low part + t^m high part, recursively (tp[i] = t^(2^i)). Shorter dependency
// chains than Horner's rule, the same rounding on every ISA, unrolled at compile time.
template <class S, int Lo, int Nn, int Nc, class C>
LJ_VM_INLINE typename S::D estrin(const typename S::D *tp, const C (&c)[Nc]) {
    if constexpr (Nn == 1) {
        return S::dup(c[Lo]);
    } else {
        constexpr int lg = Nn > 8 ? 3 : Nn > 4 ? 2 : Nn > 2 ? 1 : 0;
        constexpr int m = 1 << lg;
        return S::fma(estrin<S, Lo + m, Nn - m>(tp, c), tp[lg], estrin<S, Lo, m>(tp, c));
    }
}

template <class S, int Nc, class C>
LJ_VM_INLINE typename S::D poly(typename S::D t, const C (&c)[Nc]) {
    static_assert(Nc >= 1 && Nc <= 16, "up to 16 coefficients");
    typename S::D tp[4];
    tp[0] = t;
    tp[1] = t * t;
    tp[2] = tp[1] * tp[1];
    tp[3] = tp[2] * tp[2];
    return estrin<S, 0, Nc>(tp, c);
}

LJ_VM_INLINE double from_bits(uint64_t u) {
    double d;
    std::memcpy(&d, &u, sizeof d);
    return d;
}

template <class S> LJ_VM_INLINE typename S::D abs(typename S::D x) {
    return S::as_double(S::iand(S::as_int(x), S::idup(INT64_MAX)));
}

// x with the sign of s.
template <class S> LJ_VM_INLINE typename S::D copysign(typename S::D x, typename S::D s) {
    const typename S::I sign = S::idup(INT64_MIN);
    return S::as_double(
        S::ior(S::iand(S::as_int(x), S::idup(INT64_MAX)), S::iand(S::as_int(s), sign)));
}

// x with its sign flipped where s has its sign bit set.
template <class S> LJ_VM_INLINE typename S::D xorsign(typename S::D x, typename S::D s) {
    return S::as_double(S::ixor(S::as_int(x), S::iand(S::as_int(s), S::idup(INT64_MIN))));
}

// 2^k for integers -1022 <= k <= 1023 (lanes of int64), by building the exponent field.
template <class S> LJ_VM_INLINE typename S::D pow2i(typename S::I k) {
    return S::as_double(S::sll(S::iadd(k, S::idup(1023)), 52));
}

// The integer round(x) as int64 lanes and as a double, for |x| < 2^51 (in the current rounding
// mode, round to nearest): adding 1.5 * 2^52 leaves the integer in the low mantissa bits. No
// conversion instruction, so no invalid-operation flag for lanes the caller discards.
template <class S>
LJ_VM_INLINE typename S::I round_to_int(typename S::D x, typename S::D &rounded) {
    typename S::D kd = x + S::dup(kShifter);
    rounded = kd - S::dup(kShifter);
    return S::isub(S::as_int(kd), S::idup(kShifterBits));
}

// int64 lanes (|k| < 2^51) as doubles.
template <class S> LJ_VM_INLINE typename S::D int_to_double(typename S::I k) {
    return S::as_double(S::iadd(k, S::idup(kShifterBits))) - S::dup(kShifter);
}

// The lanes of `m` recomputed one at a time with the scalar function f (glibc's libm, for the
// special values a fast path leaves out). Out of line: the common path stays lean.
template <class S, class F>
[[gnu::noinline, gnu::cold]] typename S::D patch_lanes(typename S::M m, typename S::D x,
                                                       typename S::D r, F f) {
    alignas(64) typename S::T xs[S::N], rs[S::N];
    S::store(xs, x);
    S::store(rs, r);
    const unsigned bits = S::bits(m);
    for (int i = 0; i < S::N; ++i)
        if (bits >> i & 1)
            rs[i] = f(xs[i]);
    return S::load(rs);
}

template <class S, class F>
[[gnu::noinline, gnu::cold]] typename S::D patch_lanes2(typename S::M m, typename S::D x,
                                                        typename S::D y, typename S::D r, F f) {
    alignas(64) typename S::T xs[S::N], ys[S::N], rs[S::N];
    S::store(xs, x);
    S::store(ys, y);
    S::store(rs, r);
    const unsigned bits = S::bits(m);
    for (int i = 0; i < S::N; ++i)
        if (bits >> i & 1)
            rs[i] = f(xs[i], ys[i]);
    return S::load(rs);
}

template <class S, class F>
LJ_VM_INLINE typename S::D fix(typename S::M m, typename S::D x, typename S::D r, F f) {
    return S::any(m) ? patch_lanes<S>(m, x, r, f) : r;
}

template <class S, class F>
LJ_VM_INLINE typename S::D fix2(typename S::M m, typename S::D x, typename S::D y, typename S::D r,
                                F f) {
    return S::any(m) ? patch_lanes2<S>(m, x, y, r, f) : r;
}

} // namespace
} // namespace lj::vmath
