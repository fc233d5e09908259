// Helpers for the JIT tests: modules from LLVM assembly text, elementwise loops compiled around
// a kernel written in LLVM IR, and a plain C++ reference for NumPy's strided inner loop.
#pragma once

#include "jit/engine.h"
#include "loopnest/elementwise.h"
#include "loopnest/loop_args.h"

#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lj::test {

struct HostModule {
    std::unique_ptr<llvm::LLVMContext> ctx;
    std::unique_ptr<llvm::Module> m;
};

// Parses LLVM assembly into a module set up for the host (triple, data layout).
inline HostModule parse_host_module(const std::string &ir) {
    auto [ctx, blank] = new_host_module("test");
    llvm::SMDiagnostic err;
    std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(ir, err, *ctx);
    if (!m) {
        std::string msg;
        llvm::raw_string_ostream os(msg);
        err.print("test", os);
        ADD_FAILURE() << msg;
        return {std::move(ctx), std::move(blank)};
    }
    m->setTargetTriple(blank->getTargetTriple());
    m->setDataLayout(blank->getDataLayout());
    return {std::move(ctx), std::move(m)};
}

inline std::string module_text(const llvm::Module &m) {
    std::string s;
    llvm::raw_string_ostream os(s);
    m.print(os, nullptr);
    return s;
}

struct Loop {
    ChunkFn chunk = nullptr;
    std::shared_ptr<CompiledCode> code;
    std::string optimized_ir;
};

// Builds the elementwise loop "loop" around `kernel` (a function defined in `kernel_ir`),
// optimizes it and hands it to the JIT.
inline Loop compile_loop(const std::string &kernel_ir, const std::string &kernel,
                         const std::vector<Scalar> &ins, const std::vector<Scalar> &outs,
                         const OptimizeOptions &opts = {}) {
    HostModule hm = parse_host_module(kernel_ir);
    llvm::Function *k = hm.m->getFunction(kernel);
    if (!k) {
        ADD_FAILURE() << "no kernel " << kernel;
        return {};
    }
    build_elementwise_loop(*hm.m, k, ins, outs, "loop");
    std::string errors;
    llvm::raw_string_ostream os(errors);
    if (llvm::verifyModule(*hm.m, &os)) {
        ADD_FAILURE() << "invalid IR: " << errors << module_text(*hm.m);
        return {};
    }
    optimize_module(*hm.m, opts);
    Loop loop;
    loop.optimized_ir = module_text(*hm.m);
    loop.code = jit_add_module(std::move(hm.ctx), std::move(hm.m));
    loop.chunk = reinterpret_cast<ChunkFn>(loop.code->lookup("loop"));
    return loop;
}

inline void run_chunk(ChunkFn chunk, int64_t begin, int64_t end, const std::vector<char *> &data,
                      const std::vector<int64_t> &steps) {
    int64_t dims[1] = {end};
    LoopArgs args{data.data(), dims, steps.data(), nullptr};
    chunk(begin, end, &args);
}

// One iteration of a reference kernel: reads the inputs at ptrs[0..nin) and writes the outputs
// after them, in the order NumPy's strided loop would.
using RefKernel = std::function<void(char *const *ptrs)>;

inline void run_reference(const RefKernel &kernel, int64_t begin, int64_t end,
                          const std::vector<char *> &data, const std::vector<int64_t> &steps) {
    std::vector<char *> ptrs(data.size());
    for (int64_t i = begin; i < end; ++i) {
        for (size_t k = 0; k < data.size(); ++k)
            ptrs[k] = data[k] + i * steps[k];
        kernel(ptrs.data());
    }
}

template <class T> T get(const char *p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class T> void put(char *p, T v) {
    std::memcpy(p, &v, sizeof v);
}

// Operands as byte offsets into one buffer, so a case can make them alias however it likes.
struct Case {
    std::string name;
    std::vector<int64_t> offsets; // per operand, from the buffer start
    std::vector<int64_t> steps;   // per operand, bytes
    int64_t begin = 0, end = 0;
};

// Runs the loop and the reference on identical copies of `buffer` and compares every byte.
inline void expect_same_as_reference(const Loop &loop, const RefKernel &ref,
                                     const std::vector<char> &buffer, const Case &c) {
    SCOPED_TRACE(c.name);
    std::vector<char> got = buffer, want = buffer;
    auto pointers = [&](std::vector<char> &buf) {
        std::vector<char *> data;
        for (int64_t off : c.offsets)
            data.push_back(buf.data() + off);
        return data;
    };
    run_chunk(loop.chunk, c.begin, c.end, pointers(got), c.steps);
    run_reference(ref, c.begin, c.end, pointers(want), c.steps);
    size_t first_diff = 0;
    while (first_diff < got.size() && got[first_diff] == want[first_diff])
        ++first_diff;
    EXPECT_EQ(first_diff, got.size()) << "first differing byte at offset " << first_diff;
}

} // namespace lj::test
