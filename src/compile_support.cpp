#include "compile_support.h"

#include "loopnest/kernel_runtime.h"
#include "support/error.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <atomic>
#include <cstdio>

namespace lj {

std::string unique_prefix() {
    static std::atomic<uint64_t> counter{0};
    return "lj" + std::to_string(counter.fetch_add(1));
}

void debug_print(int level, const char *stage, const std::string &text) {
    if (level > 0)
        std::fprintf(stderr, "---- loopjit: %s ----\n%s\n", stage, text.c_str());
}

std::string module_text(const llvm::Module &m) {
    std::string s;
    llvm::raw_string_ostream os(s);
    m.print(os, nullptr);
    return s;
}

void verify_or_throw(const llvm::Module &m) {
    std::string errors;
    llvm::raw_string_ostream os(errors);
    if (llvm::verifyModule(m, &os))
        throw CompileError(ErrorKind::Internal, "invalid LLVM IR generated: " + errors);
}

bool module_can_raise(const llvm::Module &m) {
    return m.getFunction(kKernelErrorSymbol) || m.getFunction(kScratchAllocSymbol);
}

FinishedModule finish_module(std::unique_ptr<llvm::LLVMContext> ctx,
                             std::unique_ptr<llvm::Module> mod, const std::string &loop_name,
                             const CompileOptions &opts) {
    verify_or_throw(*mod);
    if (opts.debug > 1)
        debug_print(opts.debug, "LLVM IR", module_text(*mod));
    OptimizeOptions oo;
    oo.fastmath = opts.fastmath;
    optimize_module(*mod, oo);
    FinishedModule out;
    out.llvm_ir = module_text(*mod);
    debug_print(opts.debug, "optimized LLVM IR", out.llvm_ir);
    if (opts.keep_assembly)
        out.assembly = emit_assembly(*mod);
    out.code = jit_add_module(std::move(ctx), std::move(mod));
    out.chunk = reinterpret_cast<ChunkFn>(out.code->lookup(loop_name));
    return out;
}

} // namespace lj
