// exp, exp2, expm1, sinh, cosh and tanh for any vector traits S.
//
// All reduce x = (16 m + j) ln2/16 + r with |r| <= ln2/32 and use e^x = 2^m 2^(j/16) e^r, with
// 2^(j/16) from a 16-entry table held to twice double precision (hi + lo) and e^r - 1 = p(r) a
// degree-7 minimax polynomial. The result 2^(j/16) + (2^(j/16) p + lo) is rounded once, so its
// error is the final rounding's half ULP plus a few hundredths (p and the table are good to
// 2^-58 relative). Lanes outside each fast path's domain (NaN, infinities, results that overflow
// or are subnormal) take glibc's scalar function, which is also within 1 ULP there and raises
// the floating-point flags C and NumPy expect.
#pragma once

#include "vmath/constants.h"
#include "vmath/kernel_support.h"

#include <math.h>

namespace lj::vmath {
namespace {

// x = k ln2/16 + r (k in int64 lanes), for |x| < 2^40. The first step is exact (an FMA of k
// times a 53-bit constant, whose result needs at most 53 bits); the second rounds once, which
// changes e^r by less than 2^-58 relative. `rl` gets that rounding error, for expm1, whose
// result can be as small as r.
template <class S>
LJ_VM_INLINE typename S::D exp_reduce(typename S::D x, typename S::I &k,
                                      typename S::D *rl = nullptr) {
    LJ_VM_TYPES(S);
    D kd = S::fma(x, S::dup(kInvLn2x16), S::dup(kShifter));
    k = S::isub(S::as_int(kd), S::idup(kShifterBits));
    kd = kd - S::dup(kShifter);
    const D r1 = S::fnma(kd, S::dup(kLn2d16Hi), x);
    if (!rl)
        return S::fnma(kd, S::dup(kLn2d16Lo), r1);
    const D t = kd * S::dup(kLn2d16Lo);
    const D r = r1 - t;
    *rl = (r1 - r) - t;
    return r;
}

// e^r - 1 for |r| <= ln2/32.
template <class S> LJ_VM_INLINE typename S::D expm1_poly(typename S::D r) {
    return S::fma(r * r, poly<S>(r, kExpQ), r);
}

template <class S> LJ_VM_INLINE typename S::D exp_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    // Beyond +-708.3 the result overflows or is subnormal: glibc's exp.
    const M special = S::nle(abs<S>(x), S::dup(708.3));
    const D xs = S::sel(special, S::dup(0.0), x);
    I k;
    const D r = exp_reduce<S>(xs, k);
    const D th = S::lut16(kExp2Hi, k), tl = S::lut16(kExp2Lo, k);
    const D res = (th + S::fma(th, expm1_poly<S>(r), tl)) * pow2i<S>(S::sra(k, 4));
    return fix<S>(special, x, res, [](double v) { return ::exp(v); });
}

template <class S> LJ_VM_INLINE typename S::D exp2_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = S::nle(abs<S>(x), S::dup(1022.0));
    const D xs = S::sel(special, S::dup(0.0), x);
    // x = k/16 + t exactly; e^(t ln2) with t ln2 rounded once (2^-58 relative in the result).
    D kd = S::fma(xs, S::dup(16.0), S::dup(kShifter));
    const I k = S::isub(S::as_int(kd), S::idup(kShifterBits));
    kd = kd - S::dup(kShifter);
    const D r = S::fnma(kd, S::dup(0.0625), xs) * S::dup(kLn2);
    const D th = S::lut16(kExp2Hi, k), tl = S::lut16(kExp2Lo, k);
    const D res = (th + S::fma(th, expm1_poly<S>(r), tl)) * pow2i<S>(S::sra(k, 4));
    return fix<S>(special, x, res, [](double v) { return ::exp2(v); });
}

// e^x - 1 = h + t (|t| <= |h|) for -60 <= x <= 709. With S = 2^m 2^(j/16):
// e^x - 1 = (S - 1) + S r + S r^2 Q(r), where S - 1 + S r is formed exactly (TwoSum, TwoProd:
// the two are often of one size and opposite signs) and the rest is added to its error terms,
// so only the final sum rounds. Near 0 (m = j = 0) this is p(r) itself, with full relative
// accuracy.
template <class S>
LJ_VM_INLINE void expm1_parts(typename S::D x, typename S::D &h, typename S::D &t) {
    LJ_VM_TYPES(S);
    I k;
    D rl;
    const D r = exp_reduce<S>(x, k, &rl);
    const D sc = pow2i<S>(S::sra(k, 4));
    const D sh = S::lut16(kExp2Hi, k) * sc, sl = S::lut16(kExp2Lo, k) * sc;
    D a, ae, b, be, c, ce;
    two_sum<S>(sh, S::dup(-1.0), a, ae);
    two_prod<S>(sh, r, b, be);
    two_sum<S>(a, b, c, ce);
    const D q2 = (r * r) * poly<S>(r, kExpQ);
    const D rest = ce + (ae + be + S::fma(sh, q2 + rl, S::fma(sl, r, sl)));
    fast_two_sum<S>(c, rest, h, t);
}

template <class S> LJ_VM_INLINE typename S::D expm1_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    // NaN, +inf and overflow (and the last finite results, rare): glibc's expm1. Below -60 the
    // result rounds to -1.
    const M special = S::nle(x, S::dup(709.0));
    const D xs = S::max(S::sel(special, S::dup(0.0), x), S::dup(-60.0));
    D h, t;
    expm1_parts<S>(xs, h, t);
    D res = h + t;
    res = S::sel(S::lt(abs<S>(x), S::dup(0x1p-54)), x, res); // x itself, its zero's sign too
    return fix<S>(special, x, res, [](double v) { return ::expm1(v); });
}

// e^a and e^-a, each as hi + lo and scaled by 1/4 (so that e^a up to 2^1025 stays finite), for
// 0 <= a <= 710.48. One reduction serves both: e^-a = 2^(-k/16) e^-r, and p(-r) comes from the
// even and odd parts of p(r).
template <class S> LJ_VM_INLINE void exp_pm(typename S::D a, Dd<S> &e, Dd<S> &f) {
    LJ_VM_TYPES(S);
    I k;
    const D r = exp_reduce<S>(a, k);
    const D r2 = r * r;
    const double even[] = {kExpQ[0], kExpQ[2], kExpQ[4]};
    const double odd[] = {kExpQ[1], kExpQ[3], kExpQ[5]};
    const D pe = r2 * poly<S>(r2, even);
    const D po = S::fma(r2 * r, poly<S>(r2, odd), r);
    const I kneg = S::isub(S::idup(0), k);
    const I two = S::idup(2);
    const D se = pow2i<S>(S::isub(S::sra(k, 4), two));
    const D sf = pow2i<S>(S::imax(S::isub(S::sra(kneg, 4), two), S::idup(-1020)));
    const D th = S::lut16(kExp2Hi, k), fh = S::lut16(kExp2Hi, kneg);
    e.hi = th * se;
    e.lo = S::fma(th, pe + po, S::lut16(kExp2Lo, k)) * se;
    f.hi = fh * sf;
    f.lo = S::fma(fh, pe - po, S::lut16(kExp2Lo, kneg)) * sf;
}

constexpr double kHyperMax = 710.47; // below ln(2 DBL_MAX): sinh and cosh are finite

template <class S> LJ_VM_INLINE typename S::D cosh_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const D a = abs<S>(x);
    const M special = S::nle(a, S::dup(kHyperMax));
    Dd<S> e, f;
    exp_pm<S>(S::sel(special, S::dup(0.0), a), e, f);
    D s, err;
    two_sum<S>(e.hi, f.hi, s, err);
    const D res = (s + (err + e.lo + f.lo)) * S::dup(2.0);
    return fix<S>(special, x, res, [](double v) { return ::cosh(v); });
}

template <class S> LJ_VM_INLINE typename S::D sinh_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const D a = abs<S>(x);
    const M special = S::nle(a, S::dup(kHyperMax));
    const D as = S::sel(special, S::dup(0.0), a);
    // (e^a - e^-a)/2 cancels at most twofold from a = 1/4 on; below, a + a^3 H(a^2).
    Dd<S> e, f;
    exp_pm<S>(as, e, f);
    D s, err;
    two_sum<S>(e.hi, -f.hi, s, err);
    D res = (s + (err + e.lo - f.lo)) * S::dup(2.0);
    const M small = S::lt(as, S::dup(0.25));
    if (S::any(small)) {
        const D w = as * as;
        res = S::sel(small, S::fma(as * w, poly<S>(w, kSinhH), as), res);
    }
    res = copysign<S>(res, x);
    return fix<S>(special, x, res, [](double v) { return ::sinh(v); });
}

// 1/d for 2^-100 < |d| < 2^100 without a division: the CPU's 12-bit float estimate refined by
// two Newton steps to about 2^-46 relative.
template <class S> LJ_VM_INLINE typename S::D recip(typename S::D d) {
    LJ_VM_TYPES(S);
    const D one = S::dup(1.0);
    D r = S::from_float(S::frcp(S::to_float(d)));
    r = S::fma(r, S::fnma(d, r, one), r);
    return S::fma(r, S::fnma(d, r, one), r);
}

// 1/sqrt(h) to about 2^-23 for 2^-100 < h < 2^100: the 12-bit estimate and a Newton step.
template <class S> LJ_VM_INLINE typename S::D rsqrt_est(typename S::D h) {
    LJ_VM_TYPES(S);
    const D y0 = S::from_float(S::frsqrt(S::to_float(h)));
    return S::fma(S::dup(0.5) * y0, S::fnma(h * y0, y0, S::dup(1.0)), y0);
}

// (nh + nl) / (dh + dl), rounded once: a quotient good to 2^-46 corrected by its exact
// residual.
template <class S>
LJ_VM_INLINE typename S::D div_dd(typename S::D nh, typename S::D nl, typename S::D dh,
                                  typename S::D dl) {
    LJ_VM_TYPES(S);
    const D inv = recip<S>(dh);
    const D q = nh * inv;
    const D rho = S::fnma(q, dl, S::fnma(q, dh, nh) + nl);
    return S::fma(rho, inv, q);
}

template <class S> LJ_VM_INLINE typename S::D tanh_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    // tanh(a) = u / (u + 2) with u = e^2a - 1 to twice double precision; beyond a = 20 this
    // rounds to 1.
    const M nan = S::isnan(x);
    const D a = S::min(abs<S>(S::sel(nan, S::dup(0.0), x)), S::dup(20.0));
    D uh, ul, dh, de;
    expm1_parts<S>(a + a, uh, ul);
    two_sum<S>(uh, S::dup(2.0), dh, de);
    const D q = div_dd<S>(uh, ul, dh, de + ul);
    return S::sel(nan, x, copysign<S>(q, x));
}

} // namespace
} // namespace lj::vmath
