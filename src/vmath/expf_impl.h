// exp of float arguments in float arithmetic (twice the lanes of the double kernels), for float
// traits (Avx512F, Avx2F). x = (32 m + j) ln2/32 + r, |r| <= ln2/64: the first step of the
// reduction is exact (ln2/32's high part has 12 bits, k at most 13, so the FMA's exact product
// leaves a difference that fits 24 bits), e^r - 1 = r + r^2 (c0 + c1 r), and 2^(j/32) comes from
// a 32-entry table held to twice float precision, so 2^(j/32) + (2^(j/32) p + lo) rounds once:
// within 0.5 ULP plus about 0.02. The scale 2^m is applied in two halves, so results that
// overflow do so with the overflow flag and subnormal results round once. |x| > 104, infinities
// and NaN take glibc's expf.
#pragma once

#include "vmath/constants.h"
#include "vmath/kernel_support.h"

#include <math.h>

namespace lj::vmath {
namespace {

template <class S> LJ_VM_INLINE typename S::D expf_native(typename S::D x) {
    LJ_VM_TYPES(S);
    const D ax = S::as_float(S::iand(S::as_int(x), S::idup(0x7fffffff)));
    const M special = S::nle(ax, S::dup(104.0f));
    const D xs = S::sel(special, S::dup(0.0f), x);
    constexpr float shifter = 0x1.8p23f;
    D kf = S::fma(xs, S::dup(kExpfInvL), S::dup(shifter));
    const I k = S::isub(S::as_int(kf), S::as_int(S::dup(shifter)));
    kf = kf - S::dup(shifter);
    const D r = S::fnma(kf, S::dup(kExpfLLo), S::fnma(kf, S::dup(kExpfLHi), xs));
    const D p = S::fma(r * r, S::fma(r, S::dup(kExpfQ[1]), S::dup(kExpfQ[0])), r);
    const D th = S::lut32(kExpfTHi, k);
    const D v = th + S::fma(th, p, S::lut32(kExpfTLo, k));
    const I m = S::sra(k, 5);
    const I m1 = S::sra(m, 1);
    const I bias = S::idup(127);
    const D s1 = S::as_float(S::sll(S::iadd(m1, bias), 23));
    const D s2 = S::as_float(S::sll(S::iadd(S::isub(m, m1), bias), 23));
    return fix<S>(special, x, (v * s1) * s2, [](float a) { return ::expf(a); });
}

} // namespace
} // namespace lj::vmath
