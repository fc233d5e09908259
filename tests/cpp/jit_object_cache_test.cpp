// The disk cache of machine code: keys (every part and every part of the environment counts,
// the same in every process), hits and misses through compile_cached, code shared in a process,
// a hit in another process, corrupt and foreign files, an unwritable directory, and concurrent
// writers (threads and processes).
#include "jit/object_cache.h"
#include "jit_test_support.h"
#include "support/error.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <set>
#include <spawn.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace lj {
namespace {

// A module with what real loops have: an exported function, an internal constant table and a
// call into libm (relocations the JIT linker must redo when it loads the object).
std::string test_module_ir(const std::string &prefix, int64_t k) {
    std::string ir = R"(@P.table = internal constant [4 x i64] [i64 10, i64 20, i64 30, i64 K]
declare double @exp(double)
define i64 @P_f(i64 %i) {
  %p = getelementptr [4 x i64], ptr @P.table, i64 0, i64 %i
  %v = load i64, ptr %p
  ret i64 %v
}
define double @P_g(double %x) {
  %e = call double @exp(double %x)
  ret double %e
}
)";
    for (size_t at; (at = ir.find("@P")) != std::string::npos;)
        ir.replace(at, 2, "@" + prefix);
    ir.replace(ir.find(" K]"), 3, " " + std::to_string(k) + "]");
    return ir;
}

using Fn = int64_t (*)(int64_t);
using Gn = double (*)(double);

struct Compiled {
    CachedCode code;
    int builds = 0;
    Fn f() const { return reinterpret_cast<Fn>(code.code->lookup(code.metadata + "_f")); }
    Gn g() const { return reinterpret_cast<Gn>(code.code->lookup(code.metadata + "_g")); }
};

// compile_cached of test_module_ir(k); the metadata is the symbol prefix, as a loop nest keeps
// the name of its chunk function.
Compiled compile(ObjectCache &cache, int64_t k, const std::string &extra = "") {
    Compiled c;
    KeyParts parts = {{"test module", std::to_string(k)}, {"extra", extra}};
    c.code = compile_cached(
        parts,
        [&](const std::string &prefix) {
            ++c.builds;
            test::HostModule hm = test::parse_host_module(test_module_ir(prefix, k));
            return BuiltModule{std::move(hm.ctx), std::move(hm.m), prefix};
        },
        cache);
    return c;
}

// A fresh directory for one test.
std::string temp_dir(const std::string &name) {
    std::string tmpl = ::testing::TempDir() + "ljcache-" + name + "-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    const char *d = mkdtemp(buf.data());
    EXPECT_NE(d, nullptr);
    return d ? d : "";
}

std::vector<std::string> files_in(const std::string &dir) {
    std::vector<std::string> out;
    std::unique_ptr<FILE, int (*)(FILE *)> p(
        popen(("ls -A '" + dir + "' 2>/dev/null").c_str(), "r"), pclose);
    char line[512];
    while (p && fgets(line, sizeof line, p.get())) {
        std::string s(line);
        if (!s.empty() && s.back() == '\n')
            s.pop_back();
        out.push_back(s);
    }
    return out;
}

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string &path, const std::string &data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << data;
}

std::string self_exe() {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

// Runs the InChild.* test `test` of binary `exe` in a new process whose environment is this
// one's with `env` ("NAME=value") set over it; returns its exit status and output.
std::pair<int, std::string> run_child(const std::string &exe, const std::string &test,
                                      const std::vector<std::string> &env) {
    std::vector<std::string> vars = {"LOOPJIT_CACHE_TEST_CHILD=1"};
    vars.insert(vars.end(), env.begin(), env.end());
    for (char **e = environ; *e; ++e) {
        std::string v(*e);
        bool overridden = false;
        for (const std::string &o : vars)
            overridden |= v.substr(0, v.find('=') + 1) == o.substr(0, o.find('=') + 1);
        if (!overridden)
            vars.push_back(v);
    }
    std::vector<char *> envp;
    for (std::string &v : vars)
        envp.push_back(v.data());
    envp.push_back(nullptr);
    std::string filter = "--gtest_filter=" + test;
    std::string exe_copy = exe;
    char *argv[] = {exe_copy.data(), filter.data(), nullptr};

    int fds[2];
    if (pipe(fds) != 0)
        return {-1, "pipe failed"};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    std::string output;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
        output.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    if (rc != 0)
        return {-1, "cannot start " + exe};
    int status = 0;
    waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

bool in_child() {
    return std::getenv("LOOPJIT_CACHE_TEST_CHILD") != nullptr;
}

#define CHILD_ONLY()                                                                               \
    if (!in_child())                                                                               \
    GTEST_SKIP() << "runs in a child process started by another test"

const KeyParts kSomeParts = {{"ir", "(module ...)"}, {"signature", "float64(float64)"}};

// The key of kSomeParts in a child process with `env`.
std::string child_key(const std::string &exe, const std::vector<std::string> &env) {
    auto [status, out] = run_child(exe, "InChild.PrintKey", env);
    EXPECT_EQ(status, 0) << out;
    size_t at = out.find("KEY ");
    EXPECT_NE(at, std::string::npos) << out;
    return at == std::string::npos ? "" : out.substr(at + 4, 64);
}

TEST(InChild, PrintKey) {
    CHILD_ONLY();
    std::printf("KEY %s\n", make_cache_key(kSomeParts).hex().c_str());
}

TEST(CacheKey, IsSha256Hex) {
    const std::string hex = make_cache_key(kSomeParts).hex();
    EXPECT_EQ(hex.size(), 64u);
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << hex;
    EXPECT_EQ(make_cache_key(kSomeParts), make_cache_key(kSomeParts));
}

TEST(CacheKey, EveryPartCounts) {
    const CacheKey base = make_cache_key({{"a", "1"}, {"b", "2"}});
    const std::vector<KeyParts> others = {
        {{"a", "1"}, {"b", "3"}},           // a value
        {{"a", "1"}, {"c", "2"}},           // a name
        {{"b", "2"}, {"a", "1"}},           // the order
        {{"a", "1"}, {"b", "2"}, {"", ""}}, // one more, even empty
        {{"a", "1"}},                       // one fewer
        {{"a", "1b"}, {"", "2"}},           // the same bytes cut differently
        {{"a", "1"}, {"b", "2 "}},
    };
    std::set<std::string> seen = {base.hex()};
    for (const KeyParts &p : others)
        EXPECT_TRUE(seen.insert(make_cache_key(p).hex()).second) << seen.size();
}

TEST(CacheKey, SameInEveryProcessAndEnvironmentCounts) {
    const std::string exe = self_exe();
    ASSERT_FALSE(exe.empty());
    const std::string here = make_cache_key(kSomeParts).hex();
    EXPECT_EQ(child_key(exe, {}), here) << "a key must not depend on the process";

    // The host target and the optimizer's settings are part of every key.
    std::set<std::string> seen = {here};
    for (const std::vector<std::string> &env : std::vector<std::vector<std::string>>{
             {"LOOPJIT_CPU_NAME=x86-64-v2"},
             {"LOOPJIT_CPU_NAME=x86-64-v3"},
             {"LOOPJIT_CPU_NAME=x86-64-v3", "LOOPJIT_CPU_FEATURES=+avx2,+fma"},
             {"LOOPJIT_OPT=3"},
             {"LOOPJIT_PREFER_VECTOR_WIDTH=128"},
             {"LOOPJIT_VECTOR_MATH=libmvec"},
         })
        EXPECT_TRUE(seen.insert(child_key(exe, env)).second) << env[0];

    // A rebuilt compiler (here: the same binary with a new modification time) never reuses code.
    const std::string copy = temp_dir("exe") + "/copy";
    ASSERT_EQ(std::system(("cp '" + exe + "' '" + copy + "'").c_str()), 0);
    EXPECT_TRUE(seen.insert(child_key(copy, {})).second);
    std::remove(copy.c_str());
}

TEST(ObjectCache, MissThenHitThenShared) {
    ObjectCache cache(temp_dir("hit"));
    {
        Compiled c = compile(cache, 41);
        EXPECT_EQ(c.builds, 1);
        EXPECT_EQ(c.code.source, CachedCode::Source::Compiled);
        EXPECT_EQ(c.f()(3), 41);
        EXPECT_EQ(c.g()(0.0), 1.0);
        EXPECT_EQ(files_in(cache.directory()).size(), 1u);
        // While it lives, the same key shares its code.
        Compiled again = compile(cache, 41);
        EXPECT_EQ(again.builds, 0);
        EXPECT_EQ(again.code.source, CachedCode::Source::Process);
        EXPECT_EQ(again.code.code, c.code.code);
    }
    // Gone from the process: linked from disk, nothing built.
    Compiled c = compile(cache, 41);
    EXPECT_EQ(c.builds, 0);
    EXPECT_EQ(c.code.source, CachedCode::Source::Disk);
    EXPECT_EQ(c.f()(3), 41);
    EXPECT_EQ(c.f()(1), 20);
    EXPECT_DOUBLE_EQ(c.g()(1.0), std::exp(1.0));
    // Another key misses.
    Compiled other = compile(cache, 42);
    EXPECT_EQ(other.builds, 1);
    EXPECT_EQ(other.f()(3), 42);

    CacheStats s = cache.stats();
    EXPECT_EQ(s.misses, 2u);
    EXPECT_EQ(s.hits, 1u);
    EXPECT_EQ(s.shared, 1u);
    EXPECT_EQ(s.stores, 2u);
    EXPECT_EQ(s.rejected, 0u);
    EXPECT_EQ(cache.clear(), 2u);
    EXPECT_TRUE(files_in(cache.directory()).empty());
}

TEST(InChild, CompileIntoCache) {
    CHILD_ONLY();
    ObjectCache cache(std::getenv("LOOPJIT_CACHE_TEST_DIR"));
    Compiled c = compile(cache, 7, "cross-process");
    ASSERT_EQ(c.code.source, CachedCode::Source::Compiled);
    ASSERT_EQ(c.f()(3), 7);
    ASSERT_EQ(cache.stats().stores, 1u);
}

TEST(ObjectCache, HitInAnotherProcess) {
    const std::string dir = temp_dir("process");
    auto [status, out] =
        run_child(self_exe(), "InChild.CompileIntoCache", {"LOOPJIT_CACHE_TEST_DIR=" + dir});
    ASSERT_EQ(status, 0) << out;
    ObjectCache cache(dir);
    Compiled c = compile(cache, 7, "cross-process");
    EXPECT_EQ(c.builds, 0);
    EXPECT_EQ(c.code.source, CachedCode::Source::Disk);
    EXPECT_EQ(c.f()(3), 7);
    EXPECT_EQ(c.f()(2), 30);
    EXPECT_DOUBLE_EQ(c.g()(2.0), std::exp(2.0));
}

TEST(ObjectCache, UnusableFilesAreIgnoredAndRewritten) {
    ObjectCache cache(temp_dir("corrupt"));
    const CacheKey key = make_cache_key({{"test module", "5"}, {"extra", ""}});
    const std::string path = cache.path_of(key);
    std::string good;
    {
        Compiled c = compile(cache, 5);
        good = read_file(path);
        ASSERT_GT(good.size(), 200u);
    }
    // A file of another key renamed to this key's name.
    std::string foreign;
    {
        Compiled c = compile(cache, 6);
        foreign = read_file(cache.path_of(make_cache_key({{"test module", "6"}, {"extra", ""}})));
    }
    std::string flipped = good;
    flipped[flipped.size() - 100] ^= 0x40; // inside the object code
    std::string bad_header = good;
    bad_header[0] = 'X';
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"empty", ""},
        {"garbage", std::string(4096, '\x7f')},
        {"truncated header", good.substr(0, 40)},
        {"truncated object", good.substr(0, good.size() - 1)},
        {"one more byte", good + "x"},
        {"flipped bit", flipped},
        {"bad magic", bad_header},
        {"another key", foreign},
    };
    uint64_t rejected = cache.stats().rejected;
    for (const auto &[name, contents] : cases) {
        SCOPED_TRACE(name);
        write_file(path, contents);
        EXPECT_FALSE(cache.load(key).has_value());
        EXPECT_EQ(cache.stats().rejected, ++rejected);
        Compiled c = compile(cache, 5);
        EXPECT_EQ(c.builds, 1);
        EXPECT_EQ(c.f()(3), 5);
        EXPECT_EQ(cache.stats().rejected, ++rejected); // compile_cached read it too
        EXPECT_EQ(read_file(path), good) << "the file is rewritten";
    }
    // A directory in place of the file: ignored, and compiling still works.
    std::remove(path.c_str());
    ASSERT_EQ(mkdir(path.c_str(), 0700), 0);
    Compiled c = compile(cache, 5);
    EXPECT_EQ(c.builds, 1);
    EXPECT_EQ(c.f()(3), 5);
    rmdir(path.c_str());
}

TEST(ObjectCache, UnwritableDirectoryWarnsOnceAndStillCompiles) {
    const std::string file = temp_dir("unwritable") + "/a-file";
    write_file(file, "not a directory");
    ObjectCache cache(file + "/cache"); // cannot be created
    ::testing::internal::CaptureStderr();
    Compiled a = compile(cache, 11);
    Compiled b = compile(cache, 12);
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(a.builds, 1);
    EXPECT_EQ(b.builds, 1);
    EXPECT_EQ(a.f()(3), 11);
    EXPECT_EQ(b.f()(3), 12);
    EXPECT_EQ(cache.stats().stores, 0u);
    size_t warnings = 0;
    for (size_t at = err.find("loopjit: warning"); at != std::string::npos;
         at = err.find("loopjit: warning", at + 1))
        ++warnings;
    EXPECT_EQ(warnings, 1u) << err;
}

TEST(ObjectCache, DisabledCacheTouchesNoFiles) {
    const std::string dir = temp_dir("disabled");
    ObjectCache cache(dir, /*enabled=*/false);
    Compiled c = compile(cache, 13);
    EXPECT_EQ(c.builds, 1);
    EXPECT_EQ(c.f()(3), 13);
    EXPECT_TRUE(files_in(dir).empty());
}

TEST(ObjectCache, ThreadsCompilingOneKeyCompileItOnce) {
    ObjectCache cache(temp_dir("threads"));
    std::atomic<int> builds{0};
    std::vector<Compiled> results(4);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < results.size(); ++t)
        threads.emplace_back([&, t] {
            results[t] = compile(cache, 17);
            builds += results[t].builds;
        });
    for (auto &th : threads)
        th.join();
    EXPECT_EQ(builds.load(), 1);
    for (const Compiled &r : results) {
        EXPECT_EQ(r.code.code, results[0].code.code);
        EXPECT_EQ(r.f()(3), 17);
    }
}

TEST(ObjectCache, ConcurrentWritersAndReaders) {
    // Processes (forked: they only touch files) and threads store entries of one key over each
    // other while others read: every read sees a whole entry or none, and no temporary file is
    // left behind.
    const std::string dir = temp_dir("writers");
    const CacheKey key = make_cache_key({{"concurrent", "1"}});
    auto entry = [](int writer) {
        return CacheEntry{std::string(20000 + 37 * writer, static_cast<char>('a' + writer)),
                          "writer " + std::to_string(writer)};
    };
    auto valid = [&](const CacheEntry &e) {
        for (int w = 0; w < 8; ++w) {
            CacheEntry x = entry(w);
            if (e.object == x.object && e.metadata == x.metadata)
                return true;
        }
        return false;
    };
    auto work = [&](int writer, int rounds) {
        ObjectCache cache(dir); // one per writer, as in separate processes
        int bad = 0;
        for (int i = 0; i < rounds; ++i) {
            if (!cache.store(key, entry(writer)))
                ++bad;
            std::optional<CacheEntry> e = cache.load(key);
            if (!e || !valid(*e))
                ++bad;
        }
        return bad;
    };
    std::vector<pid_t> children;
    for (int w = 0; w < 4; ++w) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(work(w, 200) == 0 ? 0 : 1);
        children.push_back(pid);
    }
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    for (int w = 4; w < 8; ++w)
        threads.emplace_back([&, w] { bad += work(w, 200); });
    for (auto &t : threads)
        t.join();
    for (pid_t pid : children) {
        int status = 0;
        waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(files_in(dir), std::vector<std::string>{key.hex() + ".ljobj"});
}

TEST(JitAddObject, SymbolsOfALiveObjectCannotBeDefinedAgain) {
    test::HostModule hm = test::parse_host_module(test_module_ir("ljtest_twice", 3));
    std::unique_ptr<llvm::MemoryBuffer> object = emit_object(*hm.m);
    const std::string bytes(object->getBuffer());
    auto code = jit_add_object(std::move(object));
    EXPECT_EQ(reinterpret_cast<Fn>(code->lookup("ljtest_twice_f"))(3), 3);
    EXPECT_THROW(jit_add_object(llvm::MemoryBuffer::getMemBufferCopy(bytes)), CompileError);
    code.reset(); // its names are free again
    auto again = jit_add_object(llvm::MemoryBuffer::getMemBufferCopy(bytes));
    EXPECT_EQ(reinterpret_cast<Fn>(again->lookup("ljtest_twice_f"))(0), 10);
}

TEST(JitAddObject, NotAnObjectFileIsACompileError) {
    EXPECT_THROW(jit_add_object(llvm::MemoryBuffer::getMemBufferCopy(std::string(64, 'x'))),
                 CompileError);
}

} // namespace
} // namespace lj
