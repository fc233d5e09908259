// log, log2 and log10 of float arguments in float arithmetic (twice the lanes of the double
// kernels), for float traits (Avx512F, Avx2F). The double kernel's reduction in float: x = 2^k z,
// z in [0.703125, 1.40625) in 16 intervals with 6-bit reciprocals c (r = z c - 1 exact but for
// a few values with |r| > 2^-5, off by 2^-30 there, where |log x| > 0.3), k ln2 - log c exact
// (both on a 2^-16 grid), its sum with r split exactly (Fast2Sum), the rest added before one
// final rounding: within 0.5 ULP plus about 0.06. log2 and log10 multiply that sum, kept as hi +
// lo, by the constant in twice float precision. Zero, negative, subnormal, infinite and NaN
// arguments take glibc's double function, rounded to float.
#pragma once

#include "vmath/constants.h"
#include "vmath/kernel_support.h"

#include <math.h>

namespace lj::vmath {
namespace {

template <class S>
LJ_VM_INLINE typename S::D logf_native(typename S::D x, float ch, float cl, float (*libm)(float)) {
    LJ_VM_TYPES(S);
    const M special = S::m_or(S::nge(x, S::dup(0x1p-126f)), S::ge(x, S::dup(__builtin_inff())));
    const I ix = S::as_int(S::sel(special, S::dup(1.0f), x));
    const I tmp = S::isub(ix, S::idup(0x3f340000)); // bits of 0.703125
    const I i = S::srl(tmp, 19);                    // lut16 uses the low 4 bits
    const I k = S::sra(tmp, 23);
    const D z = S::as_float(S::isub(ix, S::sll(k, 23)));
    const D r = S::fms(z, S::lut16(kLogfInvc, i), S::dup(1.0f));
    const D kf = S::from_int(k);
    const D t1 = S::fma(kf, S::dup(kLn2fHi), S::lut16(kLogfLogcHi, i)); // exact
    const D t2 = t1 + r;
    const D lo1 = r - (t2 - t1); // |t1| >= |r| unless t1 == 0
    const D lo2 = S::fma(kf, S::dup(kLn2fLo), S::lut16(kLogfLogcLo, i));
    const D tail = (r * r) * S::fma(r, poly<S>(r, kLogfL), S::dup(-0.5f));
    const D lo = lo1 + (lo2 + tail);
    D res;
    if (ch == 1.0f) {
        res = t2 + lo;
    } else {
        const D h = t2 + lo;
        const D l = lo - (h - t2);
        const D p = h * S::dup(ch);
        res = p + (S::fms(h, S::dup(ch), p) + S::fma(l, S::dup(ch), h * S::dup(cl)));
    }
    return fix<S>(special, x, res, libm);
}

template <class S> LJ_VM_INLINE typename S::D logf_f(typename S::D x) {
    return logf_native<S>(x, 1.0f, 0.0f, [](float a) { return float(::log(a)); });
}
template <class S> LJ_VM_INLINE typename S::D log2f_f(typename S::D x) {
    return logf_native<S>(x, kInvLn2fHi, kInvLn2fLo, [](float a) { return float(::log2(a)); });
}
template <class S> LJ_VM_INLINE typename S::D log10f_f(typename S::D x) {
    return logf_native<S>(x, kInvLn10fHi, kInvLn10fLo, [](float a) { return float(::log10(a)); });
}

} // namespace
} // namespace lj::vmath
