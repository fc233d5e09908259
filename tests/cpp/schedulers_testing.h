// Shared pieces of the scheduler tests: chunks that record what ran where, bounded waits, and
// re-running one test of this binary in a fresh child process (own environment, own pools).
#pragma once

#include "loopnest/loop_args.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace lj::testing {

// Counts how often each iteration ran and which threads ran chunks.
struct Coverage {
    explicit Coverage(int64_t n);
    std::unique_ptr<std::atomic<int>[]> hits;
    int64_t n;
    std::atomic<int64_t> chunks{0};
    std::atomic<int64_t> min_piece{INT64_MAX};
    std::atomic<int> active{0};     // chunks running right now
    std::atomic<int> max_active{0}; // most chunks ever running at once
    int64_t sleep_us = 0;           // per chunk, to make workers join and overlap
    std::mutex mutex;
    std::set<std::thread::id> threads;

    LoopArgs args() { return LoopArgs{nullptr, nullptr, nullptr, this}; }
    // Every iteration ran exactly once.
    bool exact() const;
    size_t distinct_threads();
};
void coverage_chunk(int64_t begin, int64_t end, const LoopArgs *args);

// Runs fn on its own thread; false when it did not finish within `seconds`. The thread is then
// left behind: the caller must end the process (fail_hard) rather than return.
bool finishes_within(double seconds, std::function<void()> fn);
[[noreturn]] void fail_hard(const std::string &what);

// Threads of this process (/proc/self/task).
int process_thread_count();

// Result of running one test of this binary in a child process.
struct ChildResult {
    bool finished;   // exited before the deadline (else it was killed)
    int exit_status; // when finished
    bool ran;        // the child test printed its marker (so it was found and not skipped)
    std::string output;
};
// Runs test `name` (Suite.Test) of this binary with LOOPJIT_* variables replaced by `env`
// (NAME=value strings).
ChildResult run_in_child(const std::string &name, const std::vector<std::string> &env,
                         double timeout_seconds);
// In a test that must run in a child: true there; elsewhere false (the test should skip).
bool in_child();
void mark_child_ran();

// Waits for a forked child; kills it after `seconds`. Returns its wait status, or -1 on timeout.
int wait_or_kill(int pid, double seconds);

} // namespace lj::testing
