// The extension module loopjit._core: the compiler and NumPy object construction. The Python
// package (python/loopjit) is the public face; this module is private.
#include "compile.h"
#include "numpy_api.h"
#include "ufunc.h"

#include "codegen/target.h"
#include "schedulers/triad.h"

namespace pyb = pybind11;

PYBIND11_MODULE(_core, m) {
    if (!lj::py::import_numpy())
        throw pyb::error_already_set();
    m.doc() = "loopjit's compiled core (private; use the loopjit package)";
    m.attr("__version__") = LOOPJIT_VERSION;
    lj::py::register_compile(m);
    lj::py::register_ufunc(m);
    m.def("host_cpu", [] {
        const lj::Target &t = lj::Target::host();
        return pyb::make_tuple(t.triple, t.cpu, t.features);
    }, "(triple, CPU name, feature string) the JIT compiles for.");
    m.def("triad_bandwidth", [](int64_t n, int repetitions) {
        pyb::gil_scoped_release release;
        return lj::measure_triad(lj::serial_scheduler(), n, repetitions).bytes_per_second;
    }, pyb::arg("n") = 20'000'000, pyb::arg("repetitions") = 10,
    "Memory bandwidth (bytes/s) of a STREAM-style triad on one thread.");
}
