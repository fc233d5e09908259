// The threading layer's controls for Python; see parallel.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace lj::py {

void register_parallel(pybind11::module_ &m);

} // namespace lj::py
