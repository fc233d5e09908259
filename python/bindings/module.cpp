// The extension module loopjit._core: the compiler and NumPy object construction. The Python
// package (python/loopjit) is the public face; this module is private.
#include "compile.h"
#include "numpy_api.h"
#include "parallel.h"
#include "gufunc.h"
#include "stencil.h"
#include "ufunc.h"

#include "codegen/target.h"

namespace pyb = pybind11;

PYBIND11_MODULE(_core, m) {
    if (!lj::py::import_numpy())
        throw pyb::error_already_set();
    m.doc() = "loopjit's compiled core (private; use the loopjit package)";
    m.attr("__version__") = LOOPJIT_VERSION;
    lj::py::register_compile(m);
    lj::py::register_ufunc(m);
    lj::py::register_gufunc(m);
    lj::py::register_stencil(m);
    m.def("host_cpu", [] {
        const lj::Target &t = lj::Target::host();
        return pyb::make_tuple(t.triple, t.cpu, t.features);
    }, "(triple, CPU name, feature string) the JIT compiles for.");
    lj::py::register_parallel(m);
}
