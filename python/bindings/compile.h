// Python access to the compiler pipeline (src/compiler.h): compile a kernel for one signature
// into a Loop object, and turn the core's CompileError into loopjit._core.CompileError.
#pragma once

#include "compiler.h"

#include <pybind11/pybind11.h>

#include <memory>

namespace lj::py {

// What the Python layer holds for one compiled loop; shared by the ufuncs that use it.
using LoopHandle = std::shared_ptr<CompiledLoop>;

void register_compile(pybind11::module_ &m);

} // namespace lj::py
