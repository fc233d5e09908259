// The optimization pipeline (new pass manager: loopjit's lean pipeline for its loop nests, or
// LLVM's default O1-O3 pipelines, with libmvec vector math for the loop vectorizer) and the
// assembly printer behind inspect_asm.
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
#include <llvm/Transforms/IPO/AlwaysInliner.h>
#include <llvm/Transforms/IPO/GlobalDCE.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/LoopDeletion.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Scalar/LoopRotation.h>
#include <llvm/Transforms/Scalar/LoopUnrollPass.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/InjectTLIMappings.h>
#include <llvm/Transforms/Vectorize/LoopVectorize.h>
#include <llvm/Transforms/Vectorize/SLPVectorizer.h>

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

// LOOPJIT_OPT=3: LLVM's full O3 pipeline for every module instead of the lean one (to compare
// code quality, or should a kernel need a transformation the lean pipeline lacks).
bool llvm_o3_from_environment() {
    const char *v = std::getenv("LOOPJIT_OPT");
    return v && std::string(v) == "3";
}

// The lean pipeline, for what loopjit emits: loop nests around always-inline kernels whose locals
// are allocas. O3 runs about 80 passes, most with nothing to do on such modules; this makes the
// same loops (vector widths, libmvec calls) in a third of the time (docs/architecture.md,
// "Compile latency"). In order:
// inline the kernel into each loop; promote its locals; clean up (CSE, InstCombine also folds
// pow(x, 2) and the like, SimplifyCFG merges blocks but keeps branches); rotate loops the
// kernel contains so LoopFullUnroll can unroll fixed-count ones (the vectorizer handles innermost
// loops only), with LICM hoisting what they do not change; vectorize, with the libmvec variants
// (vector_math.h; InjectTLIMappings adds LLVM's own table); pair up independent math calls of
// the scalar strided loop (SLP: erf(d1) and erf(d2) of Black-Scholes become one two-lane libmvec
// call, 2.4x faster strided); clean up the vector code. Loop passes get LoopSimplify and LCSSA
// from their adaptors; our loop nests need nothing more (they are built rotated, with simple
// counters: no IndVarSimplify, which took a quarter of the pipeline's time).
// SimplifyCFG without speculation: it would turn a kernel's `if` into selects, which on a loop-
// carried chain (a running sum that skips NaNs) add their latency to every iteration where a
// well-predicted branch adds none (a moving mean 1.5x slower). The loop vectorizer if-converts
// what it vectorizes by itself, so vector loops lose nothing.
llvm::SimplifyCFGOptions keep_branches() {
    return llvm::SimplifyCFGOptions().speculateBlocks(false);
}

llvm::ModulePassManager lean_pipeline() {
    llvm::FunctionPassManager fpm;
    fpm.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));
    fpm.addPass(llvm::EarlyCSEPass());
    fpm.addPass(llvm::InstCombinePass());
    fpm.addPass(llvm::SimplifyCFGPass(keep_branches()));
    llvm::LoopPassManager rotate;
    rotate.addPass(llvm::LoopRotatePass());
    rotate.addPass(llvm::LICMPass(llvm::LICMOptions()));
    fpm.addPass(llvm::createFunctionToLoopPassAdaptor(std::move(rotate), /*UseMemorySSA=*/true));
    llvm::LoopPassManager unroll;
    unroll.addPass(llvm::LoopDeletionPass());
    unroll.addPass(llvm::LoopFullUnrollPass(/*OptLevel=*/3));
    fpm.addPass(llvm::createFunctionToLoopPassAdaptor(std::move(unroll)));
    fpm.addPass(llvm::InjectTLIMappings());
    fpm.addPass(llvm::LoopVectorizePass());
    fpm.addPass(llvm::SLPVectorizerPass());
    fpm.addPass(llvm::InstCombinePass());
    fpm.addPass(llvm::SimplifyCFGPass(keep_branches()));

    llvm::ModulePassManager mpm;
    mpm.addPass(llvm::AlwaysInlinerPass(/*InsertLifetimeIntrinsics=*/false));
    mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
    mpm.addPass(llvm::GlobalDCEPass());
    return mpm;
}

llvm::ModulePassManager pipeline_for(llvm::PassBuilder &pb, const OptimizeOptions &opts) {
    static const bool llvm_o3 = llvm_o3_from_environment();
    switch (opts.opt_level) {
    case 0:
        return pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0);
    case 1:
        return pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O1);
    case 2:
        return pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
    default:
        if (opts.llvm_o3 || llvm_o3)
            return pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
        return lean_pipeline();
    }
}

// Whether `m` computes with float16: only then do the optimizer's features matter (they differ
// from code generation's in AVX512-FP16 alone, see codegen/target.cpp), and a second
// TargetMachine costs its subtarget's set-up (a millisecond) once per thread.
bool computes_with_half(const llvm::Module &m) {
    for (const llvm::Function &f : m) {
        for (const llvm::Argument &a : f.args())
            if (a.getType()->getScalarType()->isHalfTy())
                return true;
        for (const llvm::BasicBlock &bb : f)
            for (const llvm::Instruction &inst : bb)
                if (inst.getType()->getScalarType()->isHalfTy())
                    return true;
    }
    return false;
}

} // namespace

void optimize_module(llvm::Module &m, const OptimizeOptions &opts) {
    llvm::TargetMachine &tm =
        computes_with_half(m) ? host_optimizer_machine() : host_target_machine();
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

    llvm::ModulePassManager mpm = pipeline_for(pb, opts);
    mpm.run(m, mam);
    strip_vector_math_annotations(m);
}

std::string optimizer_settings() {
    static const std::string settings = std::string("pipeline=") +
                                        (llvm_o3_from_environment() ? "O3" : "lean") +
                                        ";prefer-vector-width=" + preferred_vector_width();
    return settings;
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
