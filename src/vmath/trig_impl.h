// sin, cos and tan for any vector traits S.
//
// Cody-Waite reduction x = k pi/2 + r with pi/2 in three parts: x - k P1 is exact (an FMA with
// a 53-bit P1), k P2 + k P3 is formed to twice double precision, and r comes out as hi + lo
// with an absolute error near 2^-130 for |x| <= 2^28, far below what the closest doubles to a
// multiple of pi/2 need. sin(r) and cos(r) on |r| <= pi/4 are minimax polynomials with the
// leading terms and r's low part added before the final rounding (about 0.5 ULP plus a few
// hundredths); tan divides the two, each kept to twice double precision. Larger |x|, infinities
// and NaN take glibc's scalar functions, which reduce exactly.
#pragma once

#include "vmath/constants.h"
#include "vmath/exp_impl.h"
#include "vmath/kernel_support.h"

#include <math.h>

namespace lj::vmath {
namespace {

constexpr double kTrigMax = 0x1p28;

template <class S> struct TrigParts {
    // sin(r) = sh + sl and cos(r) = ch + cl, each a sum rounded only at the end; q = k mod 4
    typename S::D sh, sl, ch, cl;
    typename S::I q;
};

template <class S> LJ_VM_INLINE TrigParts<S> trig_parts(typename S::D x) {
    LJ_VM_TYPES(S);
    D kd = S::fma(x, S::dup(kTwoOverPi), S::dup(kShifter));
    const I k = S::isub(S::as_int(kd), S::idup(kShifterBits));
    kd = kd - S::dup(kShifter);
    const D r1 = S::fnma(kd, S::dup(kPio2_1), x);
    const D yh = kd * S::dup(kPio2_2);
    const D yl = S::fma(kd, S::dup(kPio2_3), S::fms(kd, S::dup(kPio2_2), yh));
    D rh, re;
    two_sum<S>(r1, -yh, rh, re);
    const D rl = re - yl;

    // sin(rh + rl) = rh - rh^3/6 + [rl (1 - z/2) + rh^3 z S(z)], z = rh^2, with rh - rh^3/6
    // to twice double precision: it is up to a ninth of the result, and rounding it would cost
    // a third of an ULP.
    // cos(rh + rl) = (1 - z/2) - rh rl + z^2 C(z), with 1 - z/2 split exactly
    const D z = rh * rh;
    const D zl = S::fms(rh, rh, z);
    D c3, c3l, q, ql;
    two_prod<S>(rh, z, c3, c3l); // rh^3 = c3 + c3l + rh zl
    two_prod<S>(c3, S::dup(kSin1Hi), q, ql);
    const D hz = S::dup(0.5) * z;
    TrigParts<S> p;
    fast_two_sum<S>(rh, q, p.sh, p.sl);
    const D tail3 = S::fma(S::fma(rh, zl, c3l), S::dup(kSin1Hi), c3 * S::dup(kSin1Lo));
    const D tail5 = S::fma(c3 * z, poly<S>(z, kSinS), S::fnma(hz, rl, rl));
    p.sl = p.sl + (ql + (tail3 + tail5));
    const D w = S::dup(1.0) - hz;
    const D e1 = (S::dup(1.0) - w) - hz;
    p.ch = w;
    p.cl = S::fma(z * z, poly<S>(z, kCosC), S::fnma(rh, rl, e1 - S::dup(0.5) * zl));
    p.q = k;
    return p;
}

// Lanes with bit 1 of q set negate; lanes with bit 0 set take the other function.
template <class S> LJ_VM_INLINE typename S::D trig_select(const TrigParts<S> &p, typename S::I q) {
    LJ_VM_TYPES(S);
    const M odd = S::ieq(S::iand(q, S::idup(1)), S::idup(1));
    const D s = p.sh + p.sl, c = p.ch + p.cl;
    const D v = S::sel(odd, c, s);
    return S::as_double(S::ixor(S::as_int(v), S::sll(S::iand(q, S::idup(2)), 62)));
}

template <class S> LJ_VM_INLINE typename S::D sin_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const D a = abs<S>(x);
    const M special = S::nle(a, S::dup(kTrigMax));
    const TrigParts<S> p = trig_parts<S>(S::sel(special, S::dup(0.0), x));
    D res = trig_select<S>(p, p.q);
    res = S::sel(S::lt(a, S::dup(0x1p-27)), x, res); // x itself, its zero's sign too
    return fix<S>(special, x, res, [](double v) { return ::sin(v); });
}

template <class S> LJ_VM_INLINE typename S::D cos_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = S::nle(abs<S>(x), S::dup(kTrigMax));
    const TrigParts<S> p = trig_parts<S>(S::sel(special, S::dup(0.0), x));
    const D res = trig_select<S>(p, S::iadd(p.q, S::idup(1)));
    return fix<S>(special, x, res, [](double v) { return ::cos(v); });
}

// tan = sin/cos for even k, -cos/sin for odd k, as a quotient of double-double values.
template <class S> LJ_VM_INLINE typename S::D tan_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const D a = abs<S>(x);
    const M special = S::nle(a, S::dup(kTrigMax));
    const TrigParts<S> p = trig_parts<S>(S::sel(special, S::dup(0.0), x));
    D sh, sl, ch, cl;
    fast_two_sum<S>(p.sh, p.sl, sh, sl);
    fast_two_sum<S>(p.ch, p.cl, ch, cl);
    const M odd = S::ieq(S::iand(p.q, S::idup(1)), S::idup(1));
    const D nh = S::sel(odd, -ch, sh), nl = S::sel(odd, -cl, sl);
    const D dh = S::sel(odd, sh, ch), dl = S::sel(odd, sl, cl);
    D res = div_dd<S>(nh, nl, dh, dl);
    res = S::sel(S::lt(a, S::dup(0x1p-27)), x, res);
    return fix<S>(special, x, res, [](double v) { return ::tan(v); });
}

} // namespace
} // namespace lj::vmath
