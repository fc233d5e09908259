// The kernels for float arguments (but exp, log, log2 and log10: expf_impl.h, logf_impl.h, and
// pow: the double kernel): computed in double to about 2^-34 relative, which rounds to float
// within 0.5 ULP plus a thousandth. They follow the double kernels' reductions and tables
// but drop what only double precision needs (double-double sums, second reduction constants,
// most special-case paths: float's whole range fits in double's) and use polynomials of about
// half the degree. Infinities, NaN and huge trigonometric arguments take glibc's double
// function, rounded to float by the caller.
#pragma once

#include "vmath/angle_impl.h"
#include "vmath/constants.h"
#include "vmath/exp_impl.h"
#include "vmath/kernel_support.h"
#include "vmath/log_impl.h"

#include <math.h>

namespace lj::vmath {
namespace {

// e^x for |x| <= 200, and e^-x where `neg` is given (one reduction serves both).
template <class S>
LJ_VM_INLINE typename S::D expf_core(typename S::D x, typename S::D *neg = nullptr) {
    LJ_VM_TYPES(S);
    D kd = S::fma(x, S::dup(kInvLn2x16), S::dup(kShifter));
    const I k = S::isub(S::as_int(kd), S::idup(kShifterBits));
    kd = kd - S::dup(kShifter);
    const D r = S::fnma(kd, S::dup(kLn2d16Hi), x);
    const D r2 = r * r;
    const D th = S::lut16(kExp2Hi, k);
    if (!neg)
        return S::fma(th, S::fma(r2, poly<S>(r, kExpQf), r), th) * pow2i<S>(S::sra(k, 4));
    const double even[] = {kExpQf[0], kExpQf[2]};
    const D pe = r2 * poly<S>(r2, even), po = S::fma(r2 * r, S::dup(kExpQf[1]), r);
    const I kn = S::isub(S::idup(0), k);
    const D fh = S::lut16(kExp2Hi, kn);
    *neg = S::fma(fh, pe - po, fh) * pow2i<S>(S::sra(kn, 4));
    return S::fma(th, pe + po, th) * pow2i<S>(S::sra(k, 4));
}

// Infinite or NaN: glibc's double function.
template <class S> LJ_VM_INLINE typename S::M nonfinite(typename S::D x) {
    return S::nlt(abs<S>(x), S::dup(__builtin_inf()));
}

template <class S> LJ_VM_INLINE typename S::D clamp200(typename S::M special, typename S::D x) {
    return S::max(S::min(S::sel(special, S::dup(0.0), x), S::dup(200.0)), S::dup(-200.0));
}

template <class S> LJ_VM_INLINE typename S::D exp2f_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = nonfinite<S>(x);
    const D xs = clamp200<S>(special, x);
    D kd = S::fma(xs, S::dup(16.0), S::dup(kShifter));
    const I k = S::isub(S::as_int(kd), S::idup(kShifterBits));
    kd = kd - S::dup(kShifter);
    const D r = S::fnma(kd, S::dup(0.0625), xs) * S::dup(kLn2);
    const D th = S::lut16(kExp2Hi, k);
    const D res = S::fma(th, S::fma(r * r, poly<S>(r, kExpQf), r), th) * pow2i<S>(S::sra(k, 4));
    return fix<S>(special, x, res, [](double v) { return ::exp2(v); });
}

// e^x - 1 = S p(r) + (S - 1) for -60 <= x <= 200; near 0 (S = 1) just p(r).
template <class S> LJ_VM_INLINE typename S::D expm1f_core(typename S::D x) {
    LJ_VM_TYPES(S);
    D kd = S::fma(x, S::dup(kInvLn2x16), S::dup(kShifter));
    const I k = S::isub(S::as_int(kd), S::idup(kShifterBits));
    kd = kd - S::dup(kShifter);
    const D r = S::fnma(kd, S::dup(kLn2d16Hi), x);
    const D sc = S::lut16(kExp2Hi, k) * pow2i<S>(S::sra(k, 4));
    return S::fma(sc, S::fma(r * r, poly<S>(r, kExpQf), r), sc - S::dup(1.0));
}

template <class S> LJ_VM_INLINE typename S::D expm1f_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = nonfinite<S>(x);
    const D xs = S::max(clamp200<S>(special, x), S::dup(-60.0));
    D res = expm1f_core<S>(xs);
    res = S::sel(S::lt(abs<S>(x), S::dup(0x1p-30)), x, res); // x itself, its zero's sign too
    return fix<S>(special, x, res, [](double v) { return ::expm1(v); });
}

// log(x) for x > 0 within double's normal range (every float).
template <class S> LJ_VM_INLINE typename S::D logf_core(typename S::D x) {
    LJ_VM_TYPES(S);
    const I ix = S::as_int(x);
    const I tmp = S::isub(ix, S::idup(kLogOff));
    const I i = S::srl(tmp, 48);
    const I k = S::sra(tmp, 52);
    const D z = S::as_double(S::isub(ix, S::sll(k, 52)));
    const D r = S::fms(z, S::lut16(kLogInvc, i), S::dup(1.0));
    const D t = S::fma(int_to_double<S>(k), S::dup(kLn2),
                       S::lut16(kLogLogcHi, i) + S::lut16(kLogLogcLo, i));
    return t + S::fma(r * r, S::fma(r, poly<S>(r, kLogLf), S::dup(-0.5)), r);
}

template <class S> LJ_VM_INLINE typename S::M log_domain_special(typename S::D x, double lo) {
    return S::m_or(S::nlt(S::dup(lo), x), S::ge(x, S::dup(__builtin_inf())));
}

// log(1 + x): 1 + x is exact in double for 2^-29 <= |x| < 2^29 (float has 24 bits); below
// 2^-20, x - x^2/2 + x^3/3; above 2^29, the rounding of 1 + x is far below float's precision.
template <class S> LJ_VM_INLINE typename S::D log1pf_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = log_domain_special<S>(x, -1.0);
    const D xs = S::sel(special, S::dup(0.0), x);
    D res = logf_core<S>(S::dup(1.0) + xs);
    const M small = S::lt(abs<S>(xs), S::dup(0x1p-20));
    res = S::sel(small, S::fma(xs * xs, S::fma(xs, S::dup(1.0 / 3), S::dup(-0.5)), xs), res);
    return fix<S>(special, x, res, [](double v) { return ::log1p(v); });
}

// sin(r), cos(r) for x = k pi/2 + r, |x| <= 2^28; q = k.
template <class S>
LJ_VM_INLINE void trigf_parts(typename S::D x, typename S::D &s, typename S::D &c,
                              typename S::I &q) {
    LJ_VM_TYPES(S);
    D kd = S::fma(x, S::dup(kTwoOverPi), S::dup(kShifter));
    q = S::isub(S::as_int(kd), S::idup(kShifterBits));
    kd = kd - S::dup(kShifter);
    const D r = S::fnma(kd, S::dup(kPio2_2), S::fnma(kd, S::dup(kPio2_1), x));
    const D z = r * r;
    s = S::fma(r * z, poly<S>(z, kSinSf), r);
    c = S::fma(z * z, poly<S>(z, kCosCf), S::fnma(S::dup(0.5), z, S::dup(1.0)));
}

template <class S>
LJ_VM_INLINE typename S::D trigf(typename S::D x, int shift, double (*libm)(double)) {
    LJ_VM_TYPES(S);
    const M special = S::nle(abs<S>(x), S::dup(0x1p28));
    D s, c;
    I q;
    trigf_parts<S>(S::sel(special, S::dup(0.0), x), s, c, q);
    q = S::iadd(q, S::idup(shift));
    const M odd = S::ieq(S::iand(q, S::idup(1)), S::idup(1));
    D res = S::sel(odd, c, s);
    res = S::as_double(S::ixor(S::as_int(res), S::sll(S::iand(q, S::idup(2)), 62)));
    if (shift == 0)
        res = S::sel(S::eq(x, S::dup(0.0)), x, res); // sin(-0) = -0
    return fix<S>(special, x, res, libm);
}

template <class S> LJ_VM_INLINE typename S::D sinf_kernel(typename S::D x) {
    return trigf<S>(x, 0, [](double v) { return ::sin(v); });
}
template <class S> LJ_VM_INLINE typename S::D cosf_kernel(typename S::D x) {
    return trigf<S>(x, 1, [](double v) { return ::cos(v); });
}

template <class S> LJ_VM_INLINE typename S::D tanf_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = S::nle(abs<S>(x), S::dup(0x1p28));
    D s, c;
    I q;
    trigf_parts<S>(S::sel(special, S::dup(0.0), x), s, c, q);
    const M odd = S::ieq(S::iand(q, S::idup(1)), S::idup(1));
    D res = S::sel(odd, -c, s) * recip<S>(S::sel(odd, s, c));
    res = S::sel(S::eq(x, S::dup(0.0)), x, res);
    return fix<S>(special, x, res, [](double v) { return ::tan(v); });
}

// The angle of (X, Y), X, Y >= 0 with max(X, Y) in [2^-100, 2^100]; pi minus it where xneg.
template <class S>
LJ_VM_INLINE typename S::D anglef(typename S::D y, typename S::D x, typename S::M xneg) {
    LJ_VM_TYPES(S);
    const I j = angle_index<S>(y, x);
    const D a = S::lut16(kAngA, j), b = S::lut16(kAngB, j), th = S::lut16(kAngHi, j);
    const D v = S::fms(y, a, x * b) * recip<S>(S::fma(x, a, y * b));
    const D w = v * v;
    const D at = S::fma(v * w, poly<S>(w, kAtanAf), v);
    return S::sel(xneg, (S::dup(kPiHi) - th) - at, th + at);
}

template <class S> LJ_VM_INLINE typename S::D atanf_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M nan = S::isnan(x);
    const D a = S::min(abs<S>(S::sel(nan, S::dup(0.0), x)), S::dup(0x1p60));
    const D res = anglef<S>(a, S::dup(1.0), S::lt(a, S::dup(0.0)));
    return S::sel(nan, x, S::sel(S::eq(x, S::dup(0.0)), x, copysign<S>(res, x)));
}

template <class S> LJ_VM_INLINE typename S::D atan2f_kernel(typename S::D y, typename S::D x) {
    LJ_VM_TYPES(S);
    const D inf = S::dup(__builtin_inf()), zero = S::dup(0.0), one = S::dup(1.0);
    D ax = abs<S>(x), ay = abs<S>(y);
    M special = S::m_or(S::nlt(ax, inf), S::nlt(ay, inf));
    special = S::m_or(special, S::m_or(S::eq(ax, zero), S::eq(ay, zero)));
    ax = S::sel(special, one, ax);
    ay = S::sel(special, one, ay);
    // scaled by a power of two so the larger is in [1, 2) (floats: never subnormal in double)
    const D sc =
        S::as_double(S::sll(S::isub(S::idup(2046), S::srl(S::as_int(S::max(ax, ay)), 52)), 52));
    const D res = copysign<S>(anglef<S>(ay * sc, ax * sc, S::lt(x, zero)), y);
    return fix2<S>(special, y, x, res, [](double a, double b) { return ::atan2(a, b); });
}

// sqrt(1 - a^2) for 0 <= a <= 1 from a float: 1 - a^2 is exact in double.
template <class S> LJ_VM_INLINE typename S::D sqrt1mf(typename S::D a) {
    LJ_VM_TYPES(S);
    const D one = S::dup(1.0);
    const D h = S::fnma(a, a, one);
    const D y0 = rsqrt_est<S>(S::sel(S::eq(h, S::dup(0.0)), one, h));
    const D s0 = h * y0;
    return S::fma(S::fnma(s0, s0, h), S::dup(0.5) * y0, s0);
}

template <class S> LJ_VM_INLINE typename S::D asinf_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const D a = abs<S>(x);
    const M special = S::nle(a, S::dup(1.0));
    const D as = S::sel(special, S::dup(0.5), a);
    const D res = anglef<S>(as, sqrt1mf<S>(as), S::lt(as, S::dup(0.0)));
    return fix<S>(special, x, S::sel(S::eq(x, S::dup(0.0)), x, copysign<S>(res, x)),
                  [](double v) { return ::asin(v); });
}

template <class S> LJ_VM_INLINE typename S::D acosf_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const D a = abs<S>(x);
    const M special = S::nle(a, S::dup(1.0));
    const D as = S::sel(special, S::dup(0.5), a);
    const D res = anglef<S>(sqrt1mf<S>(as), as, S::lt(x, S::dup(0.0)));
    return fix<S>(special, x, res, [](double v) { return ::acos(v); });
}

template <class S> LJ_VM_INLINE typename S::D coshf_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = nonfinite<S>(x);
    D f;
    const D e = expf_core<S>(abs<S>(clamp200<S>(special, x)), &f);
    return fix<S>(special, x, S::dup(0.5) * (e + f), [](double v) { return ::cosh(v); });
}

template <class S> LJ_VM_INLINE typename S::D sinhf_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = nonfinite<S>(x);
    const D a = abs<S>(clamp200<S>(special, x));
    D f;
    const D e = expf_core<S>(a, &f);
    const D w = a * a;
    D res = S::sel(S::lt(a, S::dup(0.25)), S::fma(a * w, poly<S>(w, kSinhHf), a),
                   S::dup(0.5) * (e - f));
    return fix<S>(special, x, copysign<S>(res, x), [](double v) { return ::sinh(v); });
}

template <class S> LJ_VM_INLINE typename S::D tanhf_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M nan = S::isnan(x);
    const D a = S::min(abs<S>(S::sel(nan, S::dup(0.0), x)), S::dup(20.0));
    const D u = expm1f_core<S>(a + a);
    const D res = u * recip<S>(u + S::dup(2.0));
    return S::sel(nan, x, copysign<S>(res, x));
}

} // namespace
} // namespace lj::vmath
