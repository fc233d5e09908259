// Python access to the threading layer (schedulers/control.h): layer choice, thread counts,
// the fork fallback, and the triad bandwidth measurement used by benchmarks.
#include "parallel.h"

#include "schedulers/control.h"
#include "schedulers/triad.h"

#include <pybind11/stl.h>

namespace pyb = pybind11;

namespace lj::py {

void register_parallel(pyb::module_ &m) {
    m.def("threading_layer_names", &threading_layer_names);
    m.def("threading_layer", [] { return std::string(threading_layer()); },
          "The threading layer target='parallel' runs on ('tbb', 'omp' or 'serial').");
    m.def("set_threading_layer", &set_threading_layer);
    m.def("pool_size", &pool_size, "Threads available to parallel loops.");
    m.def("set_num_threads", &set_num_threads, "Threads the calling thread's loops may use.");
    m.def("get_num_threads", &get_num_threads);
    m.def("fell_back_to_serial", &fell_back_to_serial);
    m.def("take_fallback_warning", &take_fallback_warning);
    m.def("grain_for", &grain_for);
    m.def(
        "triad_bandwidth",
        [](int64_t n, int repetitions, const std::string &layer, int threads) {
            Scheduler &sched = layer.empty() ? serial_scheduler() : scheduler_by_name(layer);
            pyb::gil_scoped_release release;
            return measure_triad(sched, n, repetitions, threads).bytes_per_second;
        },
        pyb::arg("n") = 20'000'000, pyb::arg("repetitions") = 10, pyb::arg("layer") = "",
        pyb::arg("threads") = 0,
        "Memory bandwidth (bytes/s) of a STREAM-style triad, serially or on a threading layer "
        "with the given number of threads.");
}

} // namespace lj::py
