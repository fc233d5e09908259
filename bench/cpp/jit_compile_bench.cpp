// Compile latency of the JIT core: build + optimize + JIT of a small elementwise loop nest,
// and each stage on its own, with loopjit's lean pipeline and, for comparison, LLVM's O3.
// Kernels are LLVM IR text, so this measures the JIT, not the front end. Times are per module;
// the first compile in a process (LLVM start-up) is not included (see
// tests/cpp/jit_latency_test.cpp for that).
#include "jit/engine.h"
#include "loopnest/elementwise.h"

#include <benchmark/benchmark.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace lj;

const char *kUnaryExp = R"(
declare double @exp(double)
define internal double @k(double %a) alwaysinline {
  %e = call double @exp(double %a)
  %r = fmul double %e, 2.000000e+00
  ret double %r
}
)";

const char *kBinaryAdd = R"(
define internal double @k(double %a, double %b) alwaysinline {
  %r = fadd double %a, %b
  ret double %r
}
)";

const char *kTernaryFloat = R"(
declare float @expf(float)
define internal float @k(float %a, float %b, float %c) alwaysinline {
  %m = fmul float %a, %b
  %e = call float @expf(float %c)
  %r = fadd float %m, %e
  ret float %r
}
)";

struct Built {
    std::unique_ptr<llvm::LLVMContext> ctx;
    std::unique_ptr<llvm::Module> m;
};

Built build(const char *kernel_ir, const std::vector<Scalar> &ins, Scalar out) {
    auto [ctx, blank] = new_host_module("bench");
    llvm::SMDiagnostic err;
    std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(kernel_ir, err, *ctx);
    if (!m)
        std::abort();
    m->setTargetTriple(blank->getTargetTriple());
    m->setDataLayout(blank->getDataLayout());
    blank.reset();
    build_elementwise_loop(*m, m->getFunction("k"), ins, {out}, "loop");
    return {std::move(ctx), std::move(m)};
}

OptimizeOptions llvm_o3() {
    OptimizeOptions o;
    o.llvm_o3 = true;
    return o;
}

void compile_all(benchmark::State &state, const char *ir, std::vector<Scalar> ins, Scalar out,
                 const OptimizeOptions &opts = {}) {
    for (auto _ : state) {
        Built b = build(ir, ins, out);
        optimize_module(*b.m, opts);
        auto code = jit_add_module(std::move(b.ctx), std::move(b.m));
        benchmark::DoNotOptimize(code->lookup("loop"));
    }
    state.SetLabel("build + optimize + jit");
}

void BM_CompileUnaryExpFloat64(benchmark::State &state) {
    compile_all(state, kUnaryExp, {Scalar::Float64}, Scalar::Float64);
}
void BM_CompileBinaryAddFloat64(benchmark::State &state) {
    compile_all(state, kBinaryAdd, {Scalar::Float64, Scalar::Float64}, Scalar::Float64);
}
void BM_CompileTernaryFloat32(benchmark::State &state) {
    compile_all(state, kTernaryFloat, {Scalar::Float32, Scalar::Float32, Scalar::Float32},
                Scalar::Float32);
}

void BM_CompileBinaryAddLLVMO3(benchmark::State &state) {
    compile_all(state, kBinaryAdd, {Scalar::Float64, Scalar::Float64}, Scalar::Float64, llvm_o3());
}

void optimize_only(benchmark::State &state, const OptimizeOptions &opts) {
    for (auto _ : state) {
        state.PauseTiming();
        Built b = build(kBinaryAdd, {Scalar::Float64, Scalar::Float64}, Scalar::Float64);
        state.ResumeTiming();
        optimize_module(*b.m, opts);
        state.PauseTiming();
        b.m.reset();
        b.ctx.reset();
        state.ResumeTiming();
    }
}

void BM_OptimizeOnlyBinaryAdd(benchmark::State &state) {
    optimize_only(state, {});
}
void BM_OptimizeOnlyBinaryAddLLVMO3(benchmark::State &state) {
    optimize_only(state, llvm_o3());
}

void BM_JitOnlyBinaryAdd(benchmark::State &state) {
    for (auto _ : state) {
        state.PauseTiming();
        Built b = build(kBinaryAdd, {Scalar::Float64, Scalar::Float64}, Scalar::Float64);
        optimize_module(*b.m, {});
        state.ResumeTiming();
        auto code = jit_add_module(std::move(b.ctx), std::move(b.m));
        benchmark::DoNotOptimize(code->lookup("loop"));
        state.PauseTiming();
        code.reset();
        state.ResumeTiming();
    }
}

BENCHMARK(BM_CompileUnaryExpFloat64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CompileBinaryAddFloat64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CompileTernaryFloat32)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CompileBinaryAddLLVMO3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OptimizeOnlyBinaryAdd)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OptimizeOnlyBinaryAddLLVMO3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JitOnlyBinaryAdd)->Unit(benchmark::kMillisecond);

} // namespace
