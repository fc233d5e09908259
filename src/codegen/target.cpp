// Detection of the host target: triple, CPU name and feature string, read once per process.
// LOOPJIT_CPU_NAME / LOOPJIT_CPU_FEATURES override them, so tests can pin a CPU and on-disk
// caches can be built for a portable baseline. AVX512-FP16 is always off in code generation (see
// below).
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

// Features never used, whatever the CPU. LLVM 19 miscompiles masked half-precision vector
// compares: when it commutes one to fold a load (a spill reload, say) it swaps the operands but
// keeps the predicate (llvm/llvm-project#159723, fixed upstream by #160304, not in LLVM 19), so
// `0 < x < 10` on float16 gives wrong answers in vectorized loops on CPUs with AVX512-FP16
// (Sapphire Rapids and later). Without the feature LLVM converts float16 to float32 to compare
// (exact) and to compute. AVX10.1 implies AVX512-FP16, so it goes too. The optimizer keeps the
// CPU's features: without AVX512-FP16 its cost model prices float16 vector conversions as if
// scalar and vectorizes float16 loops four lanes wide, where the code generator converts sixteen
// at a time (vcvtph2ps) either way.
constexpr const char *kDisabledFeatures[] = {"avx10.1-256", "avx10.1-512", "avx512fp16"};

bool is_disabled(const std::string &name) {
    for (const char *d : kDisabledFeatures)
        if (name == d)
            return true;
    return false;
}

std::string join(const std::vector<std::string> &parts) {
    std::string out;
    for (const auto &p : parts) {
        if (!out.empty())
            out += ',';
        out += p;
    }
    return out;
}

// `features` ("+a,-b,...", maybe empty) without any mention of the disabled features, which are
// then turned off at the end (the last mention of a feature wins).
std::string without_disabled(const std::string &features) {
    std::vector<std::string> parts;
    size_t at = 0;
    while (at < features.size()) {
        size_t comma = features.find(',', at);
        if (comma == std::string::npos)
            comma = features.size();
        std::string f = features.substr(at, comma - at);
        at = comma + 1;
        const bool signed_name = !f.empty() && (f[0] == '+' || f[0] == '-');
        if (!f.empty() && !is_disabled(signed_name ? f.substr(1) : f))
            parts.push_back(f);
    }
    for (const char *d : kDisabledFeatures)
        parts.push_back(std::string("-") + d);
    return join(parts);
}

// "+avx2,+fma,-avx512f,...", sorted so the string is stable across runs (it is part of cache
// keys).
std::string host_features() {
    std::vector<std::string> parts;
    for (const auto &f : llvm::sys::getHostCPUFeatures())
        parts.push_back((f.getValue() ? "+" : "-") + f.getKey().str());
    std::sort(parts.begin(), parts.end());
    return join(parts);
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
    t.optimizer_features = t.features;
    t.features = without_disabled(t.features);
    t.vector_math = true;
    return t;
}

} // namespace

const Target &Target::host() {
    static const Target target = detect_host();
    return target;
}

} // namespace lj
