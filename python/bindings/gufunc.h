// NumPy generalized ufuncs (eager and lazy) over compiled gufunc loops; see gufunc.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace lj::py {

void register_gufunc(pybind11::module_ &m);

} // namespace lj::py
