// What the end-to-end (core_*) tests share: compiling a kernel written in IR text through the
// whole pipeline, and running the compiled loop over contiguous vectors.
#pragma once

#include "compiler.h"
#include "ir/text.h"
#include "kernel_text.h"

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace lj::test {

inline CompiledLoop compile_kernel(const std::string &params, const std::string &body,
                                   const std::string &sig, const std::string &more = "") {
    std::string text = print_ir(*kernel(params, body, more));
    return compile_elementwise(text, parse_signature(sig), CompileOptions{});
}

// Runs `loop` over the inputs (all the same length) into a fresh output vector.
template <class R, class... A>
std::vector<R> run(const CompiledLoop &loop, const std::vector<A> &...in) {
    size_t n = std::get<0>(std::tie(in...)).size();
    std::vector<R> out(n);
    char *data[] = {reinterpret_cast<char *>(const_cast<A *>(in.data()))...,
                    reinterpret_cast<char *>(out.data())};
    int64_t dims[1] = {static_cast<int64_t>(n)};
    int64_t steps[] = {static_cast<int64_t>(sizeof(A))..., static_cast<int64_t>(sizeof(R))};
    LoopArgs args{data, dims, steps, nullptr};
    loop.chunk(0, static_cast<int64_t>(n), &args);
    return out;
}

// Whether the optimized loop computes on vectors of `elem` ("double", "float", ...).
inline bool vectorized(const CompiledLoop &loop, const std::string &elem) {
    for (int w : {2, 4, 8, 16})
        if (loop.llvm_ir.find("<" + std::to_string(w) + " x " + elem + ">") != std::string::npos)
            return true;
    return false;
}

} // namespace lj::test
