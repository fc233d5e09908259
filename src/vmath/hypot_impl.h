// hypot for any vector traits S. Double: both arguments scaled by a power of two so the larger
// is in [1, 2), x^2 + y^2 to twice double precision, and its square root from the CPU's
// estimate, Newton steps and a correction, rounded once (no overflow, no division or square
// root instruction). Float arguments: x^2 + y^2 is exact in double and one double square root
// is far more accurate than float needs.
#pragma once

#include "vmath/exp_impl.h"
#include "vmath/kernel_support.h"

#include <math.h>

namespace lj::vmath {
namespace {

template <class S> LJ_VM_INLINE typename S::D hypot_kernel(typename S::D x, typename S::D y) {
    LJ_VM_TYPES(S);
    const D inf = S::dup(__builtin_inf()), one = S::dup(1.0);
    D ax = abs<S>(x), ay = abs<S>(y);
    // Infinities (which win over NaN), NaN, two zeros and subnormal maxima: glibc's hypot.
    M special = S::m_or(S::nlt(ax, inf), S::nlt(ay, inf));
    ax = S::sel(special, one, ax);
    ay = S::sel(special, one, ay);
    D mx = S::max(ax, ay), mn = S::min(ax, ay);
    I ex = S::srl(S::as_int(mx), 52);
    special = S::m_or(special, S::m_or(S::ieq(ex, S::idup(0)), S::ge(mx, S::dup(0x1p1023))));
    mx = S::sel(special, one, mx); // (no flags from lanes glibc recomputes)
    mn = S::sel(special, one, mn);
    ex = S::srl(S::as_int(mx), 52);
    const D sc = S::as_double(S::sll(S::isub(S::idup(2046), ex), 52)); // 2^(1023 - ex)
    const D back = S::as_double(S::sll(ex, 52));                       // 2^(ex - 1023)
    // The smaller one scaled below 2^-600 adds nothing (its square is under the larger's ULP).
    const D big = mx * sc, small = S::max(mn * sc, S::dup(0x1p-600));
    D p, pe, q, qe, sh, se;
    two_prod<S>(big, big, p, pe);
    two_prod<S>(small, small, q, qe);
    fast_two_sum<S>(p, q, sh, se);
    const D sl = se + (pe + qe);
    const D y0 = rsqrt_est<S>(sh);
    const D hy = S::dup(0.5) * y0;
    const D s0 = sh * y0;
    const D s1 = S::fma(S::fnma(s0, s0, sh), hy, s0);
    const D res = S::fma(S::fnma(s1, s1, sh) + sl, hy, s1) * back;
    return fix2<S>(special, x, y, res, [](double a, double b) { return ::hypot(a, b); });
}

// Float arguments widened to double.
template <class S> LJ_VM_INLINE typename S::D hypotf_kernel(typename S::D x, typename S::D y) {
    LJ_VM_TYPES(S);
    const D inf = S::dup(__builtin_inf());
    const D r = S::sqrt(S::fma(x, x, y * y));
    return S::sel(S::m_or(S::eq(abs<S>(x), inf), S::eq(abs<S>(y), inf)), inf, r);
}

} // namespace
} // namespace lj::vmath
