// What the code generator targets: the host CPU (ORC JIT) or NVPTX (CUDA). Capabilities are data,
// so one code generator serves both.
#pragma once

#include <string>

namespace lj {

struct Target {
    enum class Kind { Host, NVPTX };
    Kind kind = Kind::Host;
    std::string triple;   // e.g. "x86_64-pc-linux-gnu", "nvptx64-nvidia-cuda"
    std::string cpu;      // e.g. "sapphirerapids", "sm_90"
    std::string features; // LLVM feature string ("+avx512f,...")
    // Host: the features the optimizer's cost model sees, the CPU's own (features turns some off
    // for code generation only, see target.cpp).
    std::string optimizer_features;
    bool vector_math = true; // host: vectorized libm from glibc's libmvec

    static const Target &host(); // detected once per process
};

} // namespace lj
