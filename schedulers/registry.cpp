// The threading layers by name, and the one target='parallel' runs on: LOOPJIT_THREADING_LAYER
// unless the process set another.
#include "schedulers/control.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>

namespace lj {
namespace {

std::string accepted_list() {
    std::string s;
    for (const std::string &name : threading_layer_names())
        s += (s.empty() ? "'" : ", '") + name + "'";
    return s;
}

std::atomic<Scheduler *> g_chosen{nullptr};

Scheduler &from_environment() {
    static Scheduler &sched =
        scheduler_by_name(parse_threading_layer(std::getenv("LOOPJIT_THREADING_LAYER")));
    return sched;
}

} // namespace

const std::vector<std::string> &threading_layer_names() {
    static const std::vector<std::string> names{"tbb", "omp", "serial"};
    return names;
}

std::string parse_threading_layer(const char *value) {
    if (value == nullptr || *value == '\0')
        return "tbb";
    for (const std::string &name : threading_layer_names())
        if (name == value)
            return name;
    throw std::invalid_argument("LOOPJIT_THREADING_LAYER='" + std::string(value) +
                                "' is not a threading layer; accepted: " + accepted_list());
}

Scheduler &scheduler_by_name(const std::string &name) {
    if (name == "tbb")
        return tbb_scheduler();
    if (name == "omp")
        return omp_scheduler();
    if (name == "serial")
        return serial_scheduler();
    throw std::invalid_argument("'" + name +
                                "' is not a threading layer; accepted: " + accepted_list());
}

Scheduler &parallel_scheduler() {
    if (Scheduler *s = g_chosen.load(std::memory_order_acquire))
        return *s;
    return from_environment();
}

const char *threading_layer() {
    return parallel_scheduler().name();
}

void set_threading_layer(const std::string &name) {
    g_chosen.store(&scheduler_by_name(name), std::memory_order_release);
}

void run_parallel(ChunkFn chunk, int64_t n, const LoopArgs *args, int64_t grain, bool may_split) {
    if (!may_split) {
        if (n > 0)
            chunk(0, n, args);
        return;
    }
    parallel_scheduler().run(chunk, n, args, grain);
}

} // namespace lj
