#include "compiler.h"

#include "codegen/kernel.h"
#include "codegen/target.h"
#include "ir/text.h"
#include "loopnest/cost.h"
#include "loopnest/elementwise.h"
#include "typing/infer.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <atomic>
#include <chrono>
#include <cstdio>

namespace lj {
namespace {

std::string module_text(const llvm::Module &m) {
    std::string s;
    llvm::raw_string_ostream os(s);
    m.print(os, nullptr);
    return s;
}

void debug_print(int level, const char *stage, const std::string &text) {
    if (level > 0)
        std::fprintf(stderr, "---- loopjit: %s ----\n%s\n", stage, text.c_str());
}

// The dtypes a ufunc signature's return type stands for: one per output.
std::vector<Scalar> output_dtypes(TypeRef ret, SourceLoc loc) {
    if (ret->kind == TypeKind::Scalar)
        return {ret->scalar};
    if (ret->kind == TypeKind::Tuple && !ret->elems.empty()) {
        std::vector<Scalar> outs;
        for (TypeRef e : ret->elems) {
            if (e->kind != TypeKind::Scalar)
                break;
            outs.push_back(e->scalar);
        }
        if (outs.size() == ret->elems.size())
            return outs;
    }
    throw CompileError(ErrorKind::Typing,
                       "a vectorized function must return a number or a tuple of numbers, not " +
                           type_name(ret));
}

std::string unique_prefix() {
    static std::atomic<uint64_t> counter{0};
    return "lj" + std::to_string(counter.fetch_add(1));
}

} // namespace

CompiledLoop compile_elementwise(const std::string &module_ir, const Signature &sig,
                                 const CompileOptions &opts) {
    auto t0 = std::chrono::steady_clock::now();
    NodePtr module = parse_ir(module_ir);
    const std::string func_name = module->kids.empty() ? "" : module->kid(0)->name;
    try {
        CompiledLoop out;
        for (TypeRef a : sig.args) {
            if (a->kind != TypeKind::Scalar)
                throw CompileError(ErrorKind::Signature,
                                   "a vectorized function takes scalars, not " + type_name(a));
            out.ins.push_back(a->scalar);
        }
        if (sig.ret && sig.ret->kind == TypeKind::None)
            throw CompileError(ErrorKind::Signature,
                               "a vectorized function must return a value, not void");
        debug_print(opts.debug, "untyped IR", module_ir);

        TypedProgram prog = infer_types(*module, sig.args, sig.ret);
        out.typed_ir = print_ir(*prog.functions[0].func, true);
        for (size_t i = 1; i < prog.functions.size(); ++i)
            out.typed_ir += "\n" + print_ir(*prog.functions[i].func, true);
        debug_print(opts.debug, "typed IR", out.typed_ir);
        out.outs = output_dtypes(prog.functions[0].ret, prog.functions[0].func->loc);
        out.cost = estimate_cost(prog);

        const std::string prefix = unique_prefix();
        auto [ctx, mod] = new_host_module(prefix);
        KernelOptions kopts;
        kopts.fastmath = opts.fastmath;
        llvm::Function *kernel = emit_kernel(*mod, prog, Target::host(), kopts, prefix);
        const std::string loop_name = prefix + "_loop";
        build_elementwise_loop(*mod, kernel, out.ins, out.outs, loop_name);
        std::string verify_errors;
        llvm::raw_string_ostream verr(verify_errors);
        if (llvm::verifyModule(*mod, &verr))
            throw CompileError(ErrorKind::Internal, "invalid LLVM IR generated: " + verify_errors);
        if (opts.debug > 1)
            debug_print(opts.debug, "LLVM IR", module_text(*mod));

        OptimizeOptions oo;
        oo.fastmath = opts.fastmath;
        optimize_module(*mod, oo);
        out.llvm_ir = module_text(*mod);
        debug_print(opts.debug, "optimized LLVM IR", out.llvm_ir);
        if (opts.keep_assembly)
            out.assembly = emit_assembly(*mod);

        out.code = jit_add_module(std::move(ctx), std::move(mod));
        out.chunk = reinterpret_cast<ChunkFn>(out.code->lookup(loop_name));
        out.compile_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return out;
    } catch (CompileError &e) {
        if (e.func.empty())
            e.func = func_name;
        throw;
    }
}

} // namespace lj
