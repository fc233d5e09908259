// Run-time control of target='parallel' for the Python layer: which threading layer runs it, how
// many threads each calling thread may use, the grain heuristic and the one front door to call.
#pragma once

#include "schedulers/scheduler.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lj {

// ---- threading layer ------------------------------------------------------------------------
// The accepted names of LOOPJIT_THREADING_LAYER, in order: "tbb", "omp", "serial".
const std::vector<std::string> &threading_layer_names();
// The scheduler of a layer name; std::invalid_argument naming the accepted ones otherwise.
Scheduler &scheduler_by_name(const std::string &name);
// The layer target='parallel' runs on: LOOPJIT_THREADING_LAYER (default "tbb"), read on first
// use; a bad value throws std::invalid_argument on every call until it is fixed or overridden.
Scheduler &parallel_scheduler();
const char *threading_layer(); // parallel_scheduler().name()
// Overrides the environment for the whole process (a config setting); throws like above.
void set_threading_layer(const std::string &name);

// ---- thread counts --------------------------------------------------------------------------
// Threads available to parallel loops: LOOPJIT_NUM_THREADS, or the CPUs in this process's
// affinity mask (sched_getaffinity); read once. A bad value throws std::invalid_argument.
int pool_size();
// Per calling thread: how many threads its parallel calls may use, 1..pool_size(); other
// values throw std::invalid_argument. A thread that never set it gets pool_size().
void set_num_threads(int n);
int get_num_threads();

// The parsers behind the two environment variables (nullptr or "" means unset).
std::string parse_threading_layer(const char *value);
int parse_num_threads(const char *value, int default_threads);

// ---- running loops --------------------------------------------------------------------------
// The grain to pass to run() for n iterations of about `cost` units each, 1 unit being one
// streaming `a * b + c` on float64 (exp/sin: 20-50). Loops too small to amortize waking the
// pool get a grain >= n and so run serially on the caller; measurements in grain.cpp.
int64_t grain_for(int64_t n, double cost_per_element);

// The front door of target='parallel': runs chunk through parallel_scheduler(), or directly on
// the calling thread when may_split is false (the loop nest found overlapping operands).
void run_parallel(ChunkFn chunk, int64_t n, const LoopArgs *args, int64_t grain,
                  bool may_split = true);

// ---- fork -----------------------------------------------------------------------------------
// GNU OpenMP cannot start threads in a child forked after it ran in parallel; there the omp
// layer runs serially. fell_back_to_serial() stays true from then on; take_fallback_warning()
// returns the explanation once (the Python layer turns it into one warning), then "".
bool fell_back_to_serial();
std::string take_fallback_warning();

} // namespace lj
