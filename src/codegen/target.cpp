// Detection of the host target: triple, CPU name and feature string, read once per process.
// LOOPJIT_CPU_NAME / LOOPJIT_CPU_FEATURES override them, so tests can pin a CPU and on-disk
// caches can be built for a portable baseline.
#include "codegen/target.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/TargetParser/Host.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

namespace lj {
namespace {

const char *env(const char *name) {
    const char *v = std::getenv(name);
    return v && *v ? v : nullptr;
}

// "+avx2,+fma,-avx512f,...", sorted so the string is stable across runs (it is part of cache
// keys).
std::string host_features() {
    std::vector<std::string> parts;
    for (const auto &f : llvm::sys::getHostCPUFeatures())
        parts.push_back((f.getValue() ? "+" : "-") + f.getKey().str());
    std::sort(parts.begin(), parts.end());
    std::string out;
    for (const auto &p : parts) {
        if (!out.empty())
            out += ',';
        out += p;
    }
    return out;
}

Target detect_host() {
    Target t;
    t.kind = Target::Kind::Host;
    t.triple = llvm::sys::getProcessTriple();
    const char *cpu = env("LOOPJIT_CPU_NAME");
    const char *features = env("LOOPJIT_CPU_FEATURES");
    t.cpu = cpu ? cpu : llvm::sys::getHostCPUName().str();
    // A pinned CPU without pinned features means "that CPU's own features", not the host's.
    if (features)
        t.features = features;
    else if (!cpu)
        t.features = host_features();
    t.vector_math = true;
    return t;
}

} // namespace

const Target &Target::host() {
    static const Target target = detect_host();
    return target;
}

} // namespace lj
