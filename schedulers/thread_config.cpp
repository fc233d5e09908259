// Thread counts: the pool size (LOOPJIT_NUM_THREADS or the affinity mask) and the per-thread
// count set by set_num_threads, which every parallel layer reads on the calling thread.
#include "schedulers/control.h"

#include <sched.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace lj {
namespace {

// More threads than this is a typo, not a machine.
constexpr long kMaxThreads = 4096;

thread_local int t_num_threads = 0; // 0: never set, use pool_size()

int affinity_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    unsigned hw = std::thread::hardware_concurrency();
    return hw > 0 ? static_cast<int>(hw) : 1;
}

int read_pool_size() {
    return parse_num_threads(std::getenv("LOOPJIT_NUM_THREADS"), affinity_cpus());
}

} // namespace

int parse_num_threads(const char *value, int default_threads) {
    if (value == nullptr || *value == '\0')
        return default_threads;
    char *end = nullptr;
    errno = 0;
    long n = std::strtol(value, &end, 10);
    while (end != nullptr && (*end == ' ' || *end == '\t' || *end == '\n'))
        ++end;
    if (errno != 0 || end == value || *end != '\0' || n < 1 || n > kMaxThreads)
        throw std::invalid_argument("LOOPJIT_NUM_THREADS='" + std::string(value) +
                                    "' is not a number of threads; accepted: an integer from 1 "
                                    "to " +
                                    std::to_string(kMaxThreads) +
                                    " (unset: the CPUs this process may run on, " +
                                    std::to_string(default_threads) + ")");
    return static_cast<int>(n);
}

int pool_size() {
    // A throwing initializer is retried on the next call, so a bad value keeps being reported.
    static const int size = read_pool_size();
    return size;
}

void set_num_threads(int n) {
    const int pool = pool_size();
    if (n < 1 || n > pool)
        throw std::invalid_argument(
            "set_num_threads(" + std::to_string(n) + "): the number of threads must be from 1 to " +
            std::to_string(pool) + " (the pool size, set by LOOPJIT_NUM_THREADS)");
    t_num_threads = n;
}

int get_num_threads() {
    return t_num_threads != 0 ? t_num_threads : pool_size();
}

} // namespace lj
