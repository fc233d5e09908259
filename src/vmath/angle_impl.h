// atan, atan2, asin and acos for any vector traits S, all through one angle kernel.
//
// The angle of a point (X, Y) with X, Y >= 0 is theta_j + atan(v), with theta_j near j pi/16
// (j = 0..8) and v = (Y a - X b) / (X a + Y b) for (a, b) = (cos, sin) theta_j rounded to
// doubles: the identity is exact for the rounded pair when theta_j is the exact angle of (a, b),
// which the table holds to twice double precision. |v| <= tan(pi/32), so atan(v) is a short odd
// polynomial. v itself is formed from double-double numerator and denominator and a corrected
// quotient: its relative error would otherwise be the whole ULP budget where the result is
// about v (no division: the CPU's reciprocal estimate refined by Newton steps, then corrected by
// the exact residual). j only has to be near the angle, so it comes from a rough estimate. x < 0
// (atan2, acos) folds in as pi - angle. asin and acos pass sqrt(1 - x^2) to twice double
// precision, formed without a square root or division instruction.
#pragma once

#include "vmath/constants.h"
#include "vmath/exp_impl.h"
#include "vmath/kernel_support.h"

#include <math.h>

namespace lj::vmath {
namespace {

constexpr double kPi = 3.14159265358979323846;

// round(16/pi atan2(y, x)) give or take 0.01, for x, y >= 0 with max(x, y) in [2^-100, 2^100]:
// min/max from a 12-bit reciprocal estimate and a rough atan (error 0.0015) of it.
template <class S> LJ_VM_INLINE typename S::I angle_index(typename S::D y, typename S::D x) {
    LJ_VM_TYPES(S);
    const D q = S::min(x, y) * S::from_float(S::frcp(S::to_float(S::max(x, y))));
    const D one = S::dup(1.0);
    const D at = q * S::fma(one - q, S::fma(q, S::dup(0.0663), S::dup(0.2447)), S::dup(kPi / 4));
    const D phi = S::sel(S::gt(y, x), S::dup(kPi / 2) - at, at);
    D jd;
    return round_to_int<S>(phi * S::dup(16 / kPi), jd);
}

// The angle of (X, Y) = (xh + xl, yh + yl), X, Y >= 0, not both 0, max(X, Y) in
// [2^-100, 2^100]; pi minus it where `xneg`.
template <class S>
LJ_VM_INLINE typename S::D angle(typename S::D yh, typename S::D yl, typename S::D xh,
                                 typename S::D xl, typename S::M xneg) {
    LJ_VM_TYPES(S);
    const I j = angle_index<S>(yh, xh);
    const D a = S::lut16(kAngA, j), b = S::lut16(kAngB, j);
    const D th = S::lut16(kAngHi, j), tl = S::lut16(kAngLo, j);

    // n = Y a - X b and d = X a + Y b, each to twice double precision
    D p1, e1, p2, e2, nh, ne;
    two_prod<S>(yh, a, p1, e1);
    two_prod<S>(xh, b, p2, e2);
    two_sum<S>(p1, -p2, nh, ne);
    const D nl = ne + ((e1 - e2) + S::fms(yl, a, xl * b));
    D p3, e3, p4, e4, dh, de;
    two_prod<S>(xh, a, p3, e3);
    two_prod<S>(yh, b, p4, e4);
    two_sum<S>(p3, p4, dh, de);
    const D dl = de + ((e3 + e4) + S::fma(xl, a, yl * b));

    // v = n / d = vh + vl, then atan(v) = vh + (vl + vh w A(w)), w = vh^2
    const D inv = recip<S>(dh);
    const D v0 = nh * inv;
    const D rho = S::fnma(v0, dl, S::fnma(v0, dh, nh) + nl);
    D vh, vl;
    fast_two_sum<S>(v0, rho * inv, vh, vl);
    const D w = vh * vh;
    D vt = S::fma(vh * w, poly<S>(w, kAtanA), vl);

    // theta_j + atan(v), or (pi - theta_j) - atan(v)
    D bh = th, bl = tl;
    if (S::any(xneg)) {
        D s, e;
        fast_two_sum<S>(S::dup(kPiHi), -th, s, e);
        bh = S::sel(xneg, s, th);
        bl = S::sel(xneg, e + (S::dup(kPiLo) - tl), tl);
        vh = S::sel(xneg, -vh, vh);
        vt = S::sel(xneg, -vt, vt);
    }
    D s, e;
    fast_two_sum<S>(bh, vh, s, e); // |bh| >= |vh| unless bh == 0
    return s + (e + (bl + vt));
}

template <class S> LJ_VM_INLINE typename S::D atan_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M nan = S::isnan(x);
    const D a = abs<S>(S::sel(nan, S::dup(0.0), x));
    // atan(2^60) rounds to the double nearest pi/2, as does atan of anything larger
    const D ac = S::min(a, S::dup(0x1p60));
    const D zero = S::dup(0.0);
    D res = angle<S>(ac, zero, S::dup(1.0), zero, S::lt(a, zero));
    res = S::sel(S::lt(a, S::dup(0x1p-27)), x, copysign<S>(res, x));
    return S::sel(nan, x, res);
}

template <class S> LJ_VM_INLINE typename S::D atan2_kernel(typename S::D y, typename S::D x) {
    LJ_VM_TYPES(S);
    const D inf = S::dup(__builtin_inf()), zero = S::dup(0.0), one = S::dup(1.0);
    D ax = abs<S>(x), ay = abs<S>(y);
    M special = S::m_or(S::nlt(ax, inf), S::nlt(ay, inf));
    special = S::m_or(special, S::m_or(S::eq(ax, zero), S::eq(ay, zero)));
    ax = S::sel(special, one, ax);
    ay = S::sel(special, one, ay);
    // Scale by a power of two: max(|x|, |y|) into [1, 2). Lanes where that is not exact or
    // the ratio is below 2^-1000 (the result is then tiny or subnormal): glibc's atan2.
    const D mx = S::max(ax, ay);
    const I ex = S::srl(S::as_int(mx), 52);
    special = S::m_or(special, S::m_or(S::ieq(ex, S::idup(0)), S::ge(mx, S::dup(0x1p1023))));
    const D sc = S::as_double(S::sll(S::isub(S::idup(2046), S::imin(ex, S::idup(2045))), 52));
    const D X = ax * sc, Y = ay * sc;
    special = S::m_or(special, S::lt(S::min(X, Y), S::dup(0x1p-1000)));
    const D X1 = S::sel(special, one, X), Y1 = S::sel(special, one, Y);
    D res = angle<S>(Y1, zero, X1, zero, S::lt(x, zero));
    res = copysign<S>(res, y);
    return fix2<S>(special, y, x, res, [](double a, double b) { return ::atan2(a, b); });
}

// sqrt(1 - a^2) = sh + sl for 0 <= a <= 1: 1 - a^2 to twice double precision, an estimate of
// its inverse square root (2^-23), one Newton step for the root (2^-46) and a corrected low part.
template <class S>
LJ_VM_INLINE void sqrt_one_minus_sq(typename S::D a, typename S::D &sh, typename S::D &sl) {
    LJ_VM_TYPES(S);
    const D one = S::dup(1.0);
    D q, ql;
    two_prod<S>(a, a, q, ql);
    const D h = one - q;
    const D hl = ((one - h) - q) - ql;
    const D y0 = rsqrt_est<S>(S::sel(S::eq(h, S::dup(0.0)), one, h));
    const D hy = S::dup(0.5) * y0;
    const D s0 = h * y0;
    // hl can be as large as 2^-28 h (h cancels near a = 1): it joins the Newton step, where
    // the estimate's 2^-24 error only scales it.
    sh = S::fma(S::fnma(s0, s0, h) + hl, hy, s0);
    sl = (S::fnma(sh, sh, h) + hl) * hy;
}

template <class S> LJ_VM_INLINE typename S::D asin_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const D a = abs<S>(x);
    const M special = S::nle(a, S::dup(1.0));
    const D as = S::sel(special, S::dup(0.5), a);
    D ch, cl;
    sqrt_one_minus_sq<S>(as, ch, cl);
    D res = angle<S>(as, S::dup(0.0), ch, cl, S::lt(as, S::dup(0.0)));
    res = S::sel(S::lt(a, S::dup(0x1p-27)), x, copysign<S>(res, x));
    return fix<S>(special, x, res, [](double v) { return ::asin(v); });
}

template <class S> LJ_VM_INLINE typename S::D acos_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const D a = abs<S>(x);
    const M special = S::nle(a, S::dup(1.0));
    const D as = S::sel(special, S::dup(0.5), a);
    D sh, sl;
    sqrt_one_minus_sq<S>(as, sh, sl);
    const D res = angle<S>(sh, sl, as, S::dup(0.0), S::lt(x, S::dup(0.0)));
    return fix<S>(special, x, res, [](double v) { return ::acos(v); });
}

} // namespace
} // namespace lj::vmath
