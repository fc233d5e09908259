// log, log2, log10 and log1p for any vector traits S.
//
// x = 2^k z with z in [0.703125, 1.40625), split into 16 intervals by the 4 bits below z's
// exponent (plus a borrow). Each interval has a 6-bit reciprocal c of its midpoint, so
// r = z c - 1 (|r| <= 0.0333) is exact or nearly, and log x = k ln2 - log c + log1p(r). The
// interval around 1 has c = 1, so near x = 1 the result is r + r^2 (-1/2 + r L(r)) with full
// relative accuracy. k ln2 - log c is exact in double (both are multiples of 2^-42), its sum with r
// is split exactly (Fast2Sum), and every smaller term is added in before the one final rounding:
// error about 0.5 ULP plus a few hundredths.
#pragma once

#include "vmath/constants.h"
#include "vmath/kernel_support.h"

#include <math.h>

namespace lj::vmath {
namespace {

constexpr int64_t kLogOff = 0x3FE6800000000000; // bits of 0.703125

// x = 2^k z, z = (1 + r) / c exactly, with t1 = k ln2hi - log(c)hi (exact) and
// lo2 = k ln2lo - log(c)lo: log x = t1 + log1p(r) + lo2. For finite normal x > 0 (subnormals
// are rare enough for glibc's function to take them).
template <class S> struct LogReduced {
    typename S::D r, invc, t1, lo2;
    typename S::I k;
};

// `rl`, where given, gets r's rounding error: r = z c - 1 needs 54 bits in a few intervals
// (|r| > 2^-5), harmless to log but not to pow.
template <class S>
LJ_VM_INLINE LogReduced<S> log_reduce(typename S::D x, typename S::D *rl = nullptr) {
    LJ_VM_TYPES(S);
    const I ix = S::as_int(x);
    const I tmp = S::isub(ix, S::idup(kLogOff));
    const I i = S::srl(tmp, 48); // lut16 uses the low 4 bits
    const I k = S::sra(tmp, 52);
    const D z = S::as_double(S::isub(ix, S::sll(k, 52)));

    LogReduced<S> p;
    p.k = k;
    p.invc = S::lut16(kLogInvc, i);
    p.r = S::fms(z, p.invc, S::dup(1.0)); // c has 6 significant bits: exact but in a few cases
    if (rl) {
        const D zc = z * p.invc;
        *rl = ((zc - S::dup(1.0)) - p.r) + S::fms(z, p.invc, zc); // zc - 1 is exact
    }
    const D kd = int_to_double<S>(k);
    p.t1 = S::fma(kd, S::dup(kLn2Hi), S::lut16(kLogLogcHi, i)); // exact
    p.lo2 = S::fma(kd, S::dup(kLn2Lo), S::lut16(kLogLogcLo, i));
    return p;
}

// log(x) = hi + lo (|lo| well below ulp(hi) times 2^-4), with log_reduce's c, k and r for
// log1p's correction term.
template <class S> struct LogParts {
    typename S::D hi, lo, invc, r;
    typename S::I k;
};

template <class S> LJ_VM_INLINE LogParts<S> log_parts(typename S::D x) {
    LJ_VM_TYPES(S);
    const LogReduced<S> q = log_reduce<S>(x);
    const D r = q.r;
    D t2, lo1;
    fast_two_sum<S>(q.t1, r, t2, lo1); // |t1| >= |r| unless t1 == 0
    const D tail = (r * r) * S::fma(r, poly<S>(r, kLogL), S::dup(-0.5));
    LogParts<S> p;
    p.hi = t2;
    p.lo = lo1 + (q.lo2 + tail);
    p.invc = q.invc;
    p.r = r;
    p.k = q.k;
    return p;
}

// Lanes the log fast path leaves to glibc: zero, negative, subnormal, infinite and NaN.
template <class S> LJ_VM_INLINE typename S::M log_special(typename S::D x) {
    return S::m_or(S::nge(x, S::dup(0x1p-1022)), S::ge(x, S::dup(__builtin_inf())));
}

template <class S> LJ_VM_INLINE typename S::D log_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = log_special<S>(x);
    const LogParts<S> p = log_parts<S>(S::sel(special, S::dup(1.0), x));
    return fix<S>(special, x, p.hi + p.lo, [](double v) { return ::log(v); });
}

// log(x) times c = ch + cl (1/ln2, 1/ln10): the logarithm renormalized to hi + lo, then a
// double-double product rounded once. log2 of a power of two comes out exact.
template <class S>
LJ_VM_INLINE typename S::D log_scaled(typename S::D x, double ch, double cl,
                                      double (*libm)(double)) {
    LJ_VM_TYPES(S);
    const M special = log_special<S>(x);
    const LogParts<S> p = log_parts<S>(S::sel(special, S::dup(1.0), x));
    D h, l, ph, pl;
    fast_two_sum<S>(p.hi, p.lo, h, l);
    two_prod<S>(h, S::dup(ch), ph, pl);
    const D res = ph + (pl + S::fma(l, S::dup(ch), h * S::dup(cl)));
    return fix<S>(special, x, res, libm);
}

template <class S> LJ_VM_INLINE typename S::D log2_kernel(typename S::D x) {
    return log_scaled<S>(x, kInvLn2Hi, kInvLn2Lo, [](double v) { return ::log2(v); });
}

template <class S> LJ_VM_INLINE typename S::D log10_kernel(typename S::D x) {
    return log_scaled<S>(x, kInvLn10Hi, kInvLn10Lo, [](double v) { return ::log10(v); });
}

// log1p(x) = log(u) + log(1 + e/u) = log(u) + e/u - (e/u)^2/2, where u = 1 + x rounded and
// e = (1 + x) - u exactly (TwoSum). 1/u need only be rough (e/u is below half an ULP of the
// result): 2^-k c (1 - r), good to r^2.
template <class S> LJ_VM_INLINE typename S::D log1p_kernel(typename S::D x) {
    LJ_VM_TYPES(S);
    const M special = S::m_or(S::nlt(S::dup(-1.0), x), S::ge(x, S::dup(__builtin_inf())));
    const D xs = S::sel(special, S::dup(0.0), x);
    D u, e;
    two_sum<S>(S::dup(1.0), xs, u, e);
    const LogParts<S> p = log_parts<S>(u);
    const D scale = pow2i<S>(S::imax(S::isub(S::idup(0), p.k), S::idup(-1000)));
    const D eu = (e * scale) * S::fnma(p.invc, p.r, p.invc);
    const D corr = S::fnma(S::dup(0.5) * eu, eu, eu);
    D res = p.hi + (p.lo + corr);
    // Below 2^-30 (where 1 + x loses most of x), the series x - x^2/2 + x^3/3, rounded once.
    const M small = S::lt(abs<S>(x), S::dup(0x1p-30));
    res = S::sel(small, S::fma(xs * xs, S::fma(xs, S::dup(1.0 / 3), S::dup(-0.5)), xs), res);
    return fix<S>(special, x, res, [](double v) { return ::log1p(v); });
}

} // namespace
} // namespace lj::vmath
