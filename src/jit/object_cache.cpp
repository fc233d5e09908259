// Cache keys and the cache directory: file format, atomic writes, validated reads. The JIT side
// (compile_cached) is in compile_cached.cpp.
//
// A file: magic "LJOBJ\r\n\0", u32 format version, u32 0, the 32-byte key, u64 metadata size,
// u64 object size, the SHA-256 of metadata + object, then metadata and object (little endian).
// The key inside the file guards against a file renamed or copied under another key's name; the
// checksum against truncation and corruption.
#include "jit/object_cache.h"

#include "codegen/target.h"
#include "jit/vector_math.h"

#include <llvm/Config/llvm-config.h>
#include <llvm/Support/Endian.h>
#include <llvm/Support/SHA256.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lj {
namespace {

constexpr uint32_t kFormatVersion = 1;
constexpr char kMagic[8] = {'L', 'J', 'O', 'B', 'J', '\r', '\n', '\0'};
constexpr size_t kHeaderSize = 8 + 4 + 4 + 32 + 8 + 8 + 32;
constexpr const char *kSuffix = ".ljobj";
constexpr const char *kTempPrefix = ".tmp-";
// Loop modules are kilobytes; anything this large is not a file we wrote.
constexpr uint64_t kMaxFileSize = uint64_t(1) << 26;
// The environment variables that change generated code, hashed as set (most are also reflected
// in the values hashed beside them, but a raw value catches what a derived one might miss). A
// new one must be added here, or the cache would serve code compiled under another setting.
constexpr const char *kCodeEnvironment[] = {"LOOPJIT_CPU_NAME", "LOOPJIT_CPU_FEATURES",
                                            "LOOPJIT_OPT", "LOOPJIT_PREFER_VECTOR_WIDTH",
                                            "LOOPJIT_VECTOR_MATH"};

void add_field(llvm::SHA256 &h, const std::string &name, const std::string &value) {
    // Length-prefixed, so no two different lists of parts hash the same bytes.
    for (const std::string *s : {&name, &value}) {
        uint8_t len[8];
        llvm::support::endian::write64le(len, s->size());
        h.update(llvm::ArrayRef<uint8_t>(len, 8));
        h.update(*s);
    }
}

// The binary the compiler is linked into (the Python extension or a test executable): its size
// and modification time stand for "this build of loopjit", so rebuilding the compiler (which
// does not change its version number) never reuses an older build's code.
std::string compiler_build_id() {
    const auto here = reinterpret_cast<uintptr_t>(&compiler_build_id);
    Dl_info info{};
    std::string path;
    if (dladdr(reinterpret_cast<void *>(here), &info) && info.dli_fname && info.dli_fname[0] == '/')
        path = info.dli_fname;
    // dlopen'ed by a relative name, or the main program: the mapping holding this code.
    if (std::FILE *maps = path.empty() ? std::fopen("/proc/self/maps", "r") : nullptr) {
        char line[4352];
        while (path.empty() && std::fgets(line, sizeof line, maps)) {
            unsigned long lo = 0, hi = 0;
            const char *slash = std::strchr(line, '/');
            if (std::sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= here && here < hi && slash)
                path.assign(slash, std::strcspn(slash, "\n"));
        }
        std::fclose(maps);
    }
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
        return "unknown";
    return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec);
}

// Everything a key depends on besides the caller's parts, hashed once per process.
const std::array<uint8_t, 32> &environment_digest() {
    static const std::array<uint8_t, 32> digest = [] {
        const Target &t = Target::host();
        llvm::SHA256 h;
        add_field(h, "format", std::to_string(kFormatVersion));
        add_field(h, "loopjit", LOOPJIT_VERSION);
        add_field(h, "llvm", LLVM_VERSION_STRING);
        add_field(h, "build", compiler_build_id());
        add_field(h, "triple", t.triple);
        add_field(h, "cpu", t.cpu);
        add_field(h, "features", t.features);
        add_field(h, "optimizer_features", t.optimizer_features);
        add_field(h, "vector_math", vector_math_available() ? "1" : "0");
        add_field(h, "optimizer", optimizer_settings());
        for (const char *name : kCodeEnvironment) {
            const char *v = std::getenv(name);
            add_field(h, name, v ? std::string("=") + v : std::string());
        }
        return h.final();
    }();
    return digest;
}

const char *env(const char *name) {
    const char *v = std::getenv(name);
    return v && *v ? v : nullptr;
}

bool disabled_by_environment() {
    const char *v = env("LOOPJIT_CACHE");
    if (!v)
        return false;
    std::string s(v);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s == "0" || s == "false" || s == "no" || s == "off";
}

std::string default_directory() {
    if (const char *d = env("LOOPJIT_CACHE_DIR")) {
        char cwd[4096];
        // Made absolute when first read, so a later chdir does not move the cache.
        if (d[0] != '/' && getcwd(cwd, sizeof cwd))
            return std::string(cwd) + "/" + d;
        return d;
    }
    if (const char *x = env("XDG_CACHE_HOME"))
        return std::string(x) + "/loopjit";
    if (const char *h = env("HOME"))
        return std::string(h) + "/.cache/loopjit";
    return "";
}

// mkdir -p; the last component (the cache itself) private to the user.
bool make_directories(const std::string &dir) {
    struct stat st {};
    if (stat(dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            errno = ENOTDIR;
        return S_ISDIR(st.st_mode);
    }
    const size_t slash = dir.find_last_of('/');
    if (slash != std::string::npos && slash > 0 && !make_directories(dir.substr(0, slash)))
        return false;
    return mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST;
}

bool write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

// The whole file, or nullopt if it is not a regular file of this user of a sane size.
std::optional<std::string> read_own_file(const std::string &path, bool &exists) {
    exists = false;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    exists = true;
    std::optional<std::string> out;
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
        static_cast<uint64_t>(st.st_size) <= kMaxFileSize) {
        std::string data(static_cast<size_t>(st.st_size), '\0');
        size_t got = 0;
        while (got < data.size()) {
            ssize_t r = ::read(fd, data.data() + got, data.size() - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += static_cast<size_t>(r);
        }
        if (got == data.size())
            out = std::move(data);
    }
    ::close(fd);
    return out;
}

std::array<uint8_t, 32> payload_digest(const std::string &metadata, const std::string &object) {
    llvm::SHA256 h;
    h.update(metadata);
    h.update(object);
    return h.final();
}

std::string encode(const CacheKey &key, const CacheEntry &e) {
    namespace endian = llvm::support::endian;
    std::string out(kHeaderSize, '\0');
    char *p = out.data();
    std::memcpy(p, kMagic, 8);
    endian::write32le(p + 8, kFormatVersion);
    endian::write32le(p + 12, 0);
    std::memcpy(p + 16, key.hash.data(), 32);
    endian::write64le(p + 48, e.metadata.size());
    endian::write64le(p + 56, e.object.size());
    const auto digest = payload_digest(e.metadata, e.object);
    std::memcpy(p + 64, digest.data(), 32);
    out += e.metadata;
    out += e.object;
    return out;
}

std::optional<CacheEntry> decode(const CacheKey &key, const std::string &data) {
    namespace endian = llvm::support::endian;
    if (data.size() < kHeaderSize)
        return std::nullopt;
    const char *p = data.data();
    if (std::memcmp(p, kMagic, 8) != 0 || endian::read32le(p + 8) != kFormatVersion ||
        std::memcmp(p + 16, key.hash.data(), 32) != 0)
        return std::nullopt;
    const uint64_t meta_size = endian::read64le(p + 48);
    const uint64_t object_size = endian::read64le(p + 56);
    const uint64_t payload = data.size() - kHeaderSize;
    if (meta_size > payload || object_size != payload - meta_size || object_size == 0)
        return std::nullopt;
    CacheEntry e;
    e.metadata = data.substr(kHeaderSize, meta_size);
    e.object = data.substr(kHeaderSize + meta_size);
    if (std::memcmp(p + 64, payload_digest(e.metadata, e.object).data(), 32) != 0)
        return std::nullopt;
    return e;
}

} // namespace

std::string CacheKey::hex() const {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (uint8_t b : hash) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

CacheKey make_cache_key(const KeyParts &parts) {
    llvm::SHA256 h;
    h.update(llvm::ArrayRef<uint8_t>(environment_digest()));
    for (const auto &[name, value] : parts)
        add_field(h, name, value);
    CacheKey key;
    key.hash = h.final();
    return key;
}

ObjectCache::ObjectCache(std::string dir, bool enabled)
    : dir_(std::move(dir)), enabled_(enabled && !dir_.empty()) {
    while (dir_.size() > 1 && dir_.back() == '/')
        dir_.pop_back();
}

ObjectCache &ObjectCache::process() {
    static ObjectCache *cache = new ObjectCache(default_directory(), !disabled_by_environment());
    return *cache; // never destroyed: compiling threads may outlive static destructors
}

std::string ObjectCache::path_of(const CacheKey &key) const {
    return dir_ + "/" + key.hex() + kSuffix;
}

std::optional<CacheEntry> ObjectCache::load(const CacheKey &key) {
    if (!enabled_)
        return std::nullopt;
    bool exists = false;
    std::optional<std::string> data = read_own_file(path_of(key), exists);
    if (!exists)
        return std::nullopt;
    std::optional<CacheEntry> entry = data ? decode(key, *data) : std::nullopt;
    if (!entry)
        ++rejected_;
    return entry;
}

bool ObjectCache::ensure_directory() {
    if (make_directories(dir_) && access(dir_.c_str(), W_OK | X_OK) == 0)
        return true;
    writable_ = false;
    warn_once("cannot write to the cache directory " + dir_ + " (" + std::strerror(errno) + ")");
    return false;
}

void ObjectCache::warn_once(const std::string &message) {
    if (!warned_.exchange(true))
        std::fprintf(stderr, "loopjit: warning: %s; compiled code will not be cached\n",
                     message.c_str());
}

bool ObjectCache::store(const CacheKey &key, const CacheEntry &entry) {
    if (!enabled_ || !writable_ || !ensure_directory())
        return false;
    static std::atomic<uint64_t> counter{0};
    const std::string final_path = path_of(key);
    const std::string temp = dir_ + "/" + kTempPrefix + key.hex().substr(0, 16) + "-" +
                             std::to_string(getpid()) + "-" + std::to_string(++counter);
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        ++write_failures_;
        writable_ = false;
        warn_once("cannot write to the cache directory " + dir_ + " (" + std::strerror(errno) +
                  ")");
        return false;
    }
    const std::string data = encode(key, entry);
    const bool written = write_all(fd, data.data(), data.size());
    const bool closed = ::close(fd) == 0;
    // Readers only ever open the final name, and rename replaces it in one step.
    if (!written || !closed || std::rename(temp.c_str(), final_path.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        ++write_failures_; // a full disk, say: this file only, later ones may fit
        warn_once("cannot write " + final_path + " (" + std::strerror(err) + ")");
        return false;
    }
    ++stores_;
    return true;
}

size_t ObjectCache::clear() {
    DIR *d = opendir(dir_.c_str());
    if (!d)
        return 0;
    size_t removed = 0;
    const std::string suffix = kSuffix;
    while (dirent *ent = readdir(d)) {
        const std::string name = ent->d_name;
        const bool ours =
            (name.size() == 64 + suffix.size() && name.compare(64, suffix.size(), suffix) == 0) ||
            name.rfind(kTempPrefix, 0) == 0;
        if (ours && ::unlink((dir_ + "/" + name).c_str()) == 0)
            ++removed;
    }
    closedir(d);
    return removed;
}

CacheStats ObjectCache::stats() const {
    CacheStats s;
    s.hits = hits_;
    s.misses = misses_;
    s.shared = shared_;
    s.stores = stores_;
    s.rejected = rejected_;
    s.write_failures = write_failures_;
    return s;
}

} // namespace lj
