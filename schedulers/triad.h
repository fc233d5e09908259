// A STREAM-style triad (a[i] = b[i] + s * c[i]) run through a scheduler: the machine's
// sustainable memory bandwidth, the physical limit of every streaming ufunc. Benchmarks report
// kernels' effective bandwidth as a fraction of it.
#pragma once

#include "schedulers/scheduler.h"

#include <cstdint>

namespace lj {

struct TriadResult {
    double bytes_per_second; // best over the repetitions, counting 3 * 8 bytes per element
    double seconds;          // the best repetition's time
};

// n float64 elements per array (use well beyond the last-level cache: >= 10^7), on at most
// `threads` threads of the calling thread's pool (0: its current get_num_threads()).
TriadResult measure_triad(Scheduler &sched, int64_t n, int repetitions, int threads = 0);

} // namespace lj
