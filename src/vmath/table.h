// The entry points each ISA translation unit of the vector math exports (isa_avx512.cpp,
// isa_avx2.cpp), as plain tables of addresses the registry (registry.cpp) reads. A table is
// empty when its unit was not compiled for its ISA (a non-x86 build).
#pragma once

namespace lj::vmath {

// One function at one width: `name` is the double libm name ("exp", "atan2"); `d` takes and
// returns a vector of doubles, `f` a vector of floats with twice as many lanes (the float
// function, "expf"). For the scalar table the widths are one double and one float.
struct EntryPoint {
    const char *name;
    int nargs;
    void *d;
    void *f;
};

struct EntryTable {
    const EntryPoint *entries;
    int count;
};

// AVX-512 (F, DQ, VL): 8 doubles, 16 floats (x86-64 vector function ABI ISA 'e').
EntryTable avx512_entries();
// AVX2 with FMA: 4 doubles, 8 floats ('d').
EntryTable avx2_entries();
// 2 doubles, 4 floats in xmm registers ('b'), compiled for AVX2 with FMA.
EntryTable xmm_entries();
// Scalar double and float functions (the same kernels on xmm registers), AVX2 with FMA.
EntryTable scalar_entries();
// sincos and sincosf (void(x, *sin, *cos)), AVX2 with FMA.
EntryTable sincos_entries();

} // namespace lj::vmath
