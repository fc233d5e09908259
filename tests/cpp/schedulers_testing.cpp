// Implementation of the scheduler tests' shared helpers (schedulers_testing.h).
#include "schedulers_testing.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern char **environ;

namespace lj::testing {
namespace {

constexpr const char *kChildVar = "LOOPJIT_SCHEDULER_TEST_CHILD";
constexpr const char *kMarker = "[child test ran]";

void update_max(std::atomic<int> &max, int value) {
    int seen = max.load();
    while (value > seen && !max.compare_exchange_weak(seen, value)) {
    }
}

} // namespace

Coverage::Coverage(int64_t n_) : hits(new std::atomic<int>[n_ > 0 ? n_ : 1]), n(n_) {
    for (int64_t i = 0; i < n; ++i)
        hits[i].store(0);
}

bool Coverage::exact() const {
    for (int64_t i = 0; i < n; ++i)
        if (hits[i].load() != 1)
            return false;
    return true;
}

size_t Coverage::distinct_threads() {
    std::lock_guard<std::mutex> lock(mutex);
    return threads.size();
}

void coverage_chunk(int64_t begin, int64_t end, const LoopArgs *args) {
    auto *c = static_cast<Coverage *>(args->extra);
    update_max(c->max_active, c->active.fetch_add(1) + 1);
    {
        std::lock_guard<std::mutex> lock(c->mutex);
        c->threads.insert(std::this_thread::get_id());
    }
    int64_t piece = end - begin, seen = c->min_piece.load();
    while (piece < seen && !c->min_piece.compare_exchange_weak(seen, piece)) {
    }
    for (int64_t i = begin; i < end; ++i)
        c->hits[i].fetch_add(1, std::memory_order_relaxed);
    if (c->sleep_us > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(c->sleep_us));
    c->chunks.fetch_add(1);
    c->active.fetch_sub(1);
}

bool finishes_within(double seconds, std::function<void()> fn) {
    struct State {
        std::mutex mutex;
        std::condition_variable cv;
        bool done = false;
    };
    auto state = std::make_shared<State>();
    std::thread([state, fn = std::move(fn)] {
        fn();
        std::lock_guard<std::mutex> lock(state->mutex);
        state->done = true;
        state->cv.notify_all();
    }).detach();
    std::unique_lock<std::mutex> lock(state->mutex);
    return state->cv.wait_for(lock, std::chrono::duration<double>(seconds),
                              [&] { return state->done; });
}

void fail_hard(const std::string &what) {
    std::fprintf(stderr, "FATAL: %s; ending the test process instead of hanging\n", what.c_str());
    std::fflush(stderr);
    std::_Exit(3);
}

int process_thread_count() {
    int count = 0;
    if (DIR *dir = opendir("/proc/self/task")) {
        while (dirent *e = readdir(dir))
            if (e->d_name[0] != '.')
                ++count;
        closedir(dir);
    }
    return count;
}

int wait_or_kill(int pid, double seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    for (;;) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return status;
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        usleep(2000);
    }
}

ChildResult run_in_child(const std::string &name, const std::vector<std::string> &env,
                         double timeout_seconds) {
    ChildResult result{false, -1, false, {}};
    // The child gets our environment minus GTEST_* (output files, sharding) and LOOPJIT_*
    // (the test decides those), plus `env`.
    std::vector<std::string> vars;
    for (char **e = environ; *e != nullptr; ++e)
        if (std::strncmp(*e, "GTEST_", 6) != 0 && std::strncmp(*e, "LOOPJIT_", 8) != 0)
            vars.emplace_back(*e);
    vars.insert(vars.end(), env.begin(), env.end());
    vars.push_back(std::string(kChildVar) + "=1");
    std::vector<char *> envp;
    for (std::string &v : vars)
        envp.push_back(v.data());
    envp.push_back(nullptr);
    std::string exe = "/proc/self/exe", filter = "--gtest_filter=" + name;
    char *argv[] = {exe.data(), filter.data(), nullptr};

    int out[2];
    if (pipe(out) != 0)
        return result;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (rc != 0) {
        close(out[0]);
        result.output = "posix_spawn failed";
        return result;
    }
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
    char buf[4096];
    for (;;) {
        ssize_t got;
        while ((got = read(out[0], buf, sizeof buf)) > 0)
            result.output.append(buf, static_cast<size_t>(got));
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            while ((got = read(out[0], buf, sizeof buf)) > 0)
                result.output.append(buf, static_cast<size_t>(got));
            result.finished = true;
            result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        usleep(5000);
    }
    close(out[0]);
    result.ran = result.output.find(kMarker) != std::string::npos;
    return result;
}

bool in_child() {
    return std::getenv(kChildVar) != nullptr;
}

void mark_child_ran() {
    std::printf("%s\n", kMarker);
    std::fflush(stdout);
}

} // namespace lj::testing
