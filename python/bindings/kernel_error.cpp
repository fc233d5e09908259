#include "kernel_error.h"

#include <Python.h>

namespace lj::py {

void set_kernel_error(const KernelError &err, const std::string &origin) {
    PyObject *type = PyExc_RuntimeError;
    switch (err.kind) {
    case KernelErrorKind::Index:
    case KernelErrorKind::Neighborhood:
        type = PyExc_IndexError;
        break;
    case KernelErrorKind::Memory:
        type = PyExc_MemoryError;
        break;
    case KernelErrorKind::Value:
        type = PyExc_ValueError;
        break;
    default:
        break;
    }
    if (err.line > 0)
        PyErr_Format(type, "%s (in %s, line %d, column %d)", err.message.c_str(), origin.c_str(),
                     static_cast<int>(err.line), static_cast<int>(err.col) + 1);
    else
        PyErr_Format(type, "%s (in %s)", err.message.c_str(), origin.c_str());
}

} // namespace lj::py
