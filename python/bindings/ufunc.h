// numpy.ufunc objects (eager and lazy) over compiled loops; see ufunc.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace lj::py {

void register_ufunc(pybind11::module_ &m);

} // namespace lj::py
