// loopjit's own vector math: exp, log, sin, ... (the functions of src/vmath/functions.inc) within
// 1 ULP for double and float, at every x86-64 vector width, in place of glibc's libmvec (up to 4
// ULP) for the loop vectorizer and of glibc's scalar libm for scalar calls, so a function gives
// the same bits in a vector lane and in a scalar remainder. Used when the host has AVX2 and FMA
// and LOOPJIT_VECTOR_MATH is not "libmvec" (which restores glibc's functions, to compare).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lj::vmath {

// Whether loopjit's vector math is in use in this process.
bool enabled();

// The name of the vector variant of libm function `name` ("exp", "expf", "atan2") for x86-64
// vector function ABI ISA letter `isa` ('b', 'd', 'e') with `lanes` lanes, e.g.
// "_ZGVeN8v_loopjit_exp"; empty when loopjit has none (or is not enabled).
std::string variant_name(const std::string &name, char isa, int lanes);

// Every symbol JIT-compiled code resolves to loopjit's vector math: the vector variants, the
// scalar libm names they replace ("exp", "expf", ...) and "sincos"/"sincosf". Empty when not
// enabled.
const std::vector<std::pair<std::string, void *>> &jit_symbols();

// "loopjit" or "libmvec": which vector math this process uses (for cache keys and reports).
const char *library_name();

} // namespace lj::vmath
