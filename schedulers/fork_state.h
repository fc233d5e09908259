// What a forked child inherits from the parallel layers: pools whose threads did not survive
// the fork. pthread_atfork marks the child so each layer can start afresh or run serially.
#pragma once

#include <cstdint>

namespace lj::detail {

// Registers the fork handlers (once per process); every parallel layer calls it before use.
void watch_forks();
// Incremented in every forked child: state cached under an older generation belongs to the
// parent's threads and must not be used.
uint64_t fork_generation();

// The omp layer ran a parallel region in this process (GNU OpenMP then holds a thread pool).
void note_omp_started();
// True in a child forked after the omp layer ran in parallel: libgomp would wait forever for
// its parent's threads, so the omp layer must run serially there.
bool omp_unusable();
// Records, once, that the omp layer fell back to serial (read through control.h).
void note_omp_fallback();

} // namespace lj::detail
