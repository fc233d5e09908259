// Turning a kernel's run-time error (loopnest/kernel_runtime.h) into a Python exception.
#pragma once

#include "loopnest/kernel_runtime.h"

#include <string>

namespace lj::py {

// Sets IndexError / MemoryError / ValueError (RuntimeError for anything else) with the error's
// message and where it happened: `origin` names the kernel ("'f', file \"f.py\""). Needs the GIL.
void set_kernel_error(const KernelError &err, const std::string &origin);

} // namespace lj::py
