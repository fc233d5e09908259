// The optimization pipeline (new pass manager, O3 for the host CPU, loop and SLP vectorizers with
// libmvec vector math) and the assembly printer behind inspect_asm.
#include "codegen/target.h"
#include "jit/engine.h"
#include "jit/host_machine.h"
#include "jit/vector_math.h"
#include "support/error.h"

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Passes/StandardInstrumentations.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <cstdlib>
#include <string>

namespace lj {
namespace {

// Library knowledge for the host: glibc, plus LLVM's own libmvec table (AVX2 and SSE widths of
// six functions; vector_math.cpp adds the rest). Built once; each pipeline copies it.
const llvm::TargetLibraryInfoImpl &host_library_info() {
    static const llvm::TargetLibraryInfoImpl tlii = [] {
        llvm::Triple triple(host_target_machine().getTargetTriple());
        llvm::TargetLibraryInfoImpl t(triple);
        if (vector_math_available())
            t.addVectorizableFunctionsFromVecLib(llvm::TargetLibraryInfoImpl::LIBMVEC_X86, triple);
        return t;
    }();
    return tlii;
}

// LLVM tunes most AVX-512 CPUs to prefer 256-bit vectors (older Xeons lowered their clock for
// 512-bit code). loopjit's loops are long and often dominated by vector math, where 512-bit
// libmvec variants do twice the work per call, so we ask for the full width;
// LOOPJIT_PREFER_VECTOR_WIDTH (e.g. "256") overrides.
std::string preferred_vector_width() {
    if (const char *w = std::getenv("LOOPJIT_PREFER_VECTOR_WIDTH"); w && *w)
        return w;
    return host_has_feature("avx512f") ? "512" : "";
}

void set_function_attributes(llvm::Module &m, const OptimizeOptions &opts) {
    static const std::string width = preferred_vector_width();
    for (llvm::Function &f : m.functions()) {
        if (f.isDeclaration())
            continue;
        if (!width.empty() && !f.hasFnAttribute("prefer-vector-width"))
            f.addFnAttr("prefer-vector-width", width);
        if (opts.fastmath) {
            // The instructions carry fast-math flags; these let the backend's combines use them.
            for (const char *a : {"unsafe-fp-math", "no-nans-fp-math", "no-infs-fp-math",
                                  "no-signed-zeros-fp-math", "approx-func-fp-math"})
                f.addFnAttr(a, "true");
        }
    }
}

llvm::OptimizationLevel level_of(int opt_level) {
    switch (opt_level) {
    case 0:
        return llvm::OptimizationLevel::O0;
    case 1:
        return llvm::OptimizationLevel::O1;
    case 2:
        return llvm::OptimizationLevel::O2;
    default:
        return llvm::OptimizationLevel::O3;
    }
}

} // namespace

void optimize_module(llvm::Module &m, const OptimizeOptions &opts) {
    llvm::TargetMachine &tm = host_target_machine();
    set_function_attributes(m, opts);
    add_vector_math_variants(m);

    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PipelineTuningOptions pto;
    pto.LoopVectorization = opts.opt_level >= 2;
    pto.SLPVectorization = opts.opt_level >= 2;
    pto.LoopInterleaving = opts.opt_level >= 2;
    pto.LoopUnrolling = opts.opt_level >= 2;
    // Honors optnone (the new pass manager does so only through this instrumentation).
    llvm::PassInstrumentationCallbacks instrumentation;
    llvm::OptNoneInstrumentation optnone(false);
    optnone.registerCallbacks(instrumentation);
    llvm::PassBuilder pb(&tm, pto, std::nullopt, &instrumentation);
    // Registered before the defaults so it replaces the stock TargetLibraryAnalysis.
    fam.registerPass([] { return llvm::TargetLibraryAnalysis(host_library_info()); });
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);

    llvm::ModulePassManager mpm = opts.opt_level <= 0
                                      ? pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
                                      : pb.buildPerModuleDefaultPipeline(level_of(opts.opt_level));
    mpm.run(m, mam);
    strip_vector_math_annotations(m);
}

std::string emit_assembly(llvm::Module &m) {
    // Code generation rewrites the IR it runs on (CodeGenPrepare), and the caller still hands
    // this module to the JIT afterwards: print a copy.
    std::unique_ptr<llvm::Module> copy = llvm::CloneModule(m);
    llvm::SmallString<4096> text;
    llvm::raw_svector_ostream os(text);
    llvm::legacy::PassManager pm;
    if (host_target_machine().addPassesToEmitFile(pm, os, nullptr,
                                                  llvm::CodeGenFileType::AssemblyFile))
        throw CompileError(ErrorKind::Internal, "the host target cannot print assembly");
    pm.run(*copy);
    return std::string(text.str());
}

} // namespace lj
