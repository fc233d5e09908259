// The on-disk cache of compiled machine code: object files keyed by a SHA-256 of everything that
// determines them, linked into the JIT by a later process instead of compiling again; and
// compile_cached, the front door every kind of loop nest compiles through to use it.
#pragma once

#include "jit/engine.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lj {

// Named inputs of one compilation, e.g. {"ir", module text}, {"signature", "float64(float64)"},
// {"fastmath", "0"}: every one that changes the machine code. Order matters.
using KeyParts = std::vector<std::pair<std::string, std::string>>;

struct CacheKey {
    std::array<uint8_t, 32> hash{}; // SHA-256
    std::string hex() const;        // 64 lowercase hex digits
    bool operator==(const CacheKey &o) const { return hash == o.hash; }
};

// SHA-256 of the cache format version, the compiler that runs (loopjit and LLVM versions, and the
// size and modification time of the binary holding it, so a rebuilt compiler never reuses code of
// an older one), the host target (triple, CPU name, code generation and optimizer features,
// vector math), the optimizer's settings (optimizer_settings()), the environment variables that
// change generated code (LOOPJIT_CPU_NAME, _CPU_FEATURES, _OPT, _PREFER_VECTOR_WIDTH,
// _VECTOR_MATH: the list in object_cache.cpp) and `parts`.
CacheKey make_cache_key(const KeyParts &parts);

// What one cache file holds besides its key: an object file (emit_object) and the caller's
// metadata (opaque bytes: what it needs to use the code without compiling).
struct CacheEntry {
    std::string object;
    std::string metadata;
};

struct CacheStats {
    uint64_t hits = 0;           // loaded from disk
    uint64_t misses = 0;         // compiled (neither loaded in this process nor usable on disk)
    uint64_t shared = 0;         // same key already loaded in this process: its code reused
    uint64_t stores = 0;         // files written
    uint64_t rejected = 0;       // files found but unusable (truncated, corrupt, not ours)
    uint64_t write_failures = 0; // files that could not be written
};

// A directory of cache files, one per key (`<key hex>.ljobj`). Safe for concurrent threads and
// processes: a file is written to a temporary name in the directory and renamed over the final
// one, so readers see a whole file or none; reads check the header, key and a SHA-256 of the
// contents, and ignore (count as rejected) any file that does not pass. The directory is created
// (mode 0700) on the first store; a directory that cannot be created or written turns stores off
// for this object with one warning on stderr (at most one per object, so one per process for
// the process's cache), while loads go on (a read-only cache prepared in advance still serves).
class ObjectCache {
public:
    // enabled == false: load and store do nothing (clear still works on `dir`).
    explicit ObjectCache(std::string dir, bool enabled = true);

    // The process's cache: LOOPJIT_CACHE_DIR if set, else $XDG_CACHE_HOME/loopjit, else
    // $HOME/.cache/loopjit; disabled when LOOPJIT_CACHE=0 (or false/no/off) or no directory can
    // be named. Read once, on first use.
    static ObjectCache &process();

    const std::string &directory() const { return dir_; }
    bool enabled() const { return enabled_; }
    std::string path_of(const CacheKey &key) const;

    // nullopt if absent or unusable (counted as rejected).
    std::optional<CacheEntry> load(const CacheKey &key);
    // False if it could not be written (the cache then stays read-only for this object).
    bool store(const CacheKey &key, const CacheEntry &entry);
    // Removes this cache's files (and temporaries left by killed writers) from the directory,
    // nothing else; returns how many.
    size_t clear();

    CacheStats stats() const;
    // Counted by compile_cached (load counts only rejected files).
    void count_hit() { ++hits_; }
    void count_miss() { ++misses_; }
    void count_shared() { ++shared_; }
    void count_rejected() { ++rejected_; }

private:
    bool ensure_directory();
    void warn_once(const std::string &message);

    std::string dir_;
    bool enabled_;
    std::atomic<bool> writable_{true};
    std::atomic<bool> warned_{false};
    std::atomic<uint64_t> hits_{0}, misses_{0}, shared_{0}, stores_{0}, rejected_{0},
        write_failures_{0};
};

// A module ready for code generation (built and optimized) and the metadata to store with it.
struct BuiltModule {
    std::unique_ptr<llvm::LLVMContext> ctx;
    std::unique_ptr<llvm::Module> module;
    std::string metadata;
};

struct CachedCode {
    enum class Source { Compiled, Disk, Process };
    std::shared_ptr<CompiledCode> code;
    std::string metadata; // as `build` returned it, then or in an earlier process
    Source source = Source::Compiled;
};

// Machine code for the compilation `parts` describes, from the first of: a live module of this
// process with the same key (shared), `cache` (linked from disk), or `build(prefix)` (compiled
// now, then stored in `cache`). `build` must name every symbol the module defines with
// `prefix` at the start (the prefix comes from the key, so an object loaded in another process
// links under the names it was compiled with); it runs only on a miss, and exceptions from it
// (CompileError for the user's program) propagate with nothing stored. Compilations of one key
// are serialized within the process; different keys compile concurrently.
CachedCode compile_cached(const KeyParts &parts,
                          const std::function<BuiltModule(const std::string &prefix)> &build,
                          ObjectCache &cache = ObjectCache::process());

} // namespace lj
