// Fork handling for the parallel layers, and the fall-back report read by the Python layer.
// The child handler only touches lock-free atomics: it runs in a process with one thread
// whose other threads vanished, possibly holding locks.
#include "schedulers/fork_state.h"

#include "schedulers/control.h"

#include <pthread.h>

#include <atomic>
#include <string>

namespace lj::detail {
namespace {

std::atomic<uint64_t> g_generation{0};
std::atomic<bool> g_omp_started{false};
std::atomic<bool> g_omp_unusable{false};
std::atomic<bool> g_fell_back{false};
std::atomic<bool> g_warning_pending{false};

void on_fork_child() {
    g_generation.fetch_add(1, std::memory_order_relaxed);
    if (g_omp_started.load(std::memory_order_relaxed))
        g_omp_unusable.store(true, std::memory_order_relaxed);
}

} // namespace

void watch_forks() {
    static const bool registered = pthread_atfork(nullptr, nullptr, &on_fork_child) == 0;
    (void)registered;
}

uint64_t fork_generation() {
    return g_generation.load(std::memory_order_acquire);
}

void note_omp_started() {
    if (!g_omp_started.load(std::memory_order_relaxed))
        g_omp_started.store(true, std::memory_order_relaxed);
}

bool omp_unusable() {
    return g_omp_unusable.load(std::memory_order_relaxed);
}

void note_omp_fallback() {
    if (!g_fell_back.load(std::memory_order_relaxed) && !g_fell_back.exchange(true))
        g_warning_pending.store(true, std::memory_order_release);
}

} // namespace lj::detail

namespace lj {

bool fell_back_to_serial() {
    return detail::g_fell_back.load(std::memory_order_relaxed);
}

std::string take_fallback_warning() {
    // In a child forked after OpenMP ran, the omp layer will fall back on its first parallel
    // call; say so right away (the Python layer asks from its at-fork hook in the child).
    if (detail::omp_unusable() && std::string(threading_layer()) == "omp")
        detail::note_omp_fallback();
    if (!detail::g_warning_pending.load(std::memory_order_acquire) ||
        !detail::g_warning_pending.exchange(false))
        return {};
    return "the 'omp' threading layer (GNU OpenMP) cannot start threads in a process forked "
           "after it ran in parallel, so parallel loops run serially in this process; use "
           "LOOPJIT_THREADING_LAYER=tbb, or the 'spawn' or 'forkserver' start method of "
           "multiprocessing";
}

} // namespace lj
