// pow for any vector traits S: exp(y log|x|) with log|x| to about 2^-75 (log_reduce's reduction
// with its rounding error kept, the leading terms of log1p exact, all summed in double-double)
// and y log|x| as a double-double argument to exp's reduction. An error of y log|x| turns into the
// same relative error of the result, so with |y log|x|| <= 708 it stays below 2^-59: the result
// is within 0.5 ULP plus exp's few hundredths. Negative x with an integer y takes the sign of
// y's parity. Zero, subnormal, infinite or NaN operands, other negative x, |y| >= 2^64 and
// results that overflow or are subnormal take glibc's pow, which handles every special case C
// specifies.
#pragma once

#include "vmath/constants.h"
#include "vmath/exp_impl.h"
#include "vmath/kernel_support.h"
#include "vmath/log_impl.h"

#include <math.h>

namespace lj::vmath {
namespace {

// log(x) = lh + ll to about 2^-75 absolute (and relative near x = 1), for finite x > 0:
// log1p(r + rl) = r + rl - r^2/2 - r rl + r^3/3 + r^4 M(r), where r^2/2 and r^3/3 are formed
// exactly enough (TwoProd) and the large terms are summed with TwoSum.
template <class S>
LJ_VM_INLINE void log_precise(typename S::D x, typename S::D &lh, typename S::D &ll) {
    LJ_VM_TYPES(S);
    D rl;
    const LogReduced<S> q = log_reduce<S>(x, &rl);
    const D r = q.r;
    D r2, r2l, r3, r3l, t, tl, a, ae, b, be, c, ce;
    two_prod<S>(r, r, r2, r2l);
    two_prod<S>(r, r2, r3, r3l);
    two_prod<S>(r3, S::dup(kThirdHi), t, tl); // r^3/3 = t + tl + ...
    tl = tl + S::fma(r3, S::dup(kThirdLo), S::fma(r, r2l, r3l) * S::dup(kThirdHi));
    fast_two_sum<S>(q.t1, r, a, ae);              // |t1| >= |r| unless t1 == 0
    fast_two_sum<S>(a, S::dup(-0.5) * r2, b, be); // -r^2/2 is exact; |a| >= r^2/2
    fast_two_sum<S>(b, t, c, ce);                 // |b| >= |r|/2 >= r^3/3
    const D r4m = (r2 * r2) * poly<S>(r, kPowM);  // below 3e-7
    const D small = S::fnma(r, rl, S::fnma(S::dup(0.5), r2l, q.lo2 + rl)) + tl;
    const D lo = (ae + be) + (ce + (small + r4m));
    fast_two_sum<S>(c, lo, lh, ll);
}

template <class S> LJ_VM_INLINE typename S::D pow_kernel(typename S::D x, typename S::D y) {
    LJ_VM_TYPES(S);
    const D inf = S::dup(__builtin_inf()), zero = S::dup(0.0), one = S::dup(1.0);
    const D ax = abs<S>(x), ay = abs<S>(y);
    // Zero, subnormal, infinite or NaN x, infinite or NaN y or |y| >= 2^64: glibc's pow.
    M special = S::m_or(S::nge(ax, S::dup(0x1p-1022)), S::nlt(ax, inf));
    special = S::m_or(special, S::nlt(ay, S::dup(0x1p64)));
    // Negative x: the sign is y's parity; not an integer (or too large to tell): glibc's.
    const M neg = S::lt(x, zero);
    M negate = neg;
    if (S::any(neg)) {
        const M small_y = S::lt(ay, S::dup(0x1p51));
        D yr;
        const I yi = round_to_int<S>(S::sel(small_y, y, zero), yr);
        const M y_int = S::m_and(small_y, S::eq(yr, y));
        special = S::m_or(special, S::m_andnot(y_int, neg));
        negate = S::m_and(neg, S::ieq(S::iand(yi, S::idup(1)), S::idup(1)));
    }
    const D axs = S::sel(special, one, ax), ys = S::sel(special, zero, y);

    D lh, ll;
    log_precise<S>(axs, lh, ll);
    D zh, zl;
    two_prod<S>(ys, lh, zh, zl);
    zl = S::fma(ys, ll, zl);
    special = S::m_or(special, S::nle(abs<S>(zh), S::dup(708.0)));
    zh = S::sel(special, zero, zh);
    zl = S::sel(special, zero, zl);

    // exp(zh + zl): exp's reduction of zh, with zl added to r (changing e^r by < 2^-58)
    I k;
    D rl;
    const D r = exp_reduce<S>(zh, k, &rl) + (zl + rl);
    const D th = S::lut16(kExp2Hi, k), tl = S::lut16(kExp2Lo, k);
    D res = (th + S::fma(th, expm1_poly<S>(r), tl)) * pow2i<S>(S::sra(k, 4));
    res = S::sel(negate, -res, res);
    return fix2<S>(special, x, y, res, [](double a, double b) { return ::pow(a, b); });
}

} // namespace
} // namespace lj::vmath
