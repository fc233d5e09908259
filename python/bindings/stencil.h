// Compiled stencils: compile for argument types, run into an output array; see stencil.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace lj::py {

void register_stencil(pybind11::module_ &m);

} // namespace lj::py
