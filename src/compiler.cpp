#include "compiler.h"

#include "codegen/kernel.h"
#include "codegen/target.h"
#include "compile_support.h"
#include "ir/text.h"
#include "jit/object_cache.h"
#include "loopnest/cost.h"
#include "loopnest/elementwise.h"
#include "typing/infer.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace lj {
namespace {

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

OptimizeOptions optimize_options(const CompileOptions &opts) {
    OptimizeOptions oo;
    oo.fastmath = opts.fastmath;
    return oo;
}

// The pipeline up to optimized LLVM IR for the loop named prefix + "_loop": fills `out`, all but
// the machine code.
std::pair<std::unique_ptr<llvm::LLVMContext>, std::unique_ptr<llvm::Module>>
build_loop_module(const std::string &module_ir, const Signature &sig, const CompileOptions &opts,
                  const std::string &prefix, CompiledLoop &out) {
    NodePtr module = parse_ir(module_ir);
    const std::string func_name = module->kids.empty() ? "" : module->kid(0)->name;
    try {
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

        auto [ctx, mod] = new_host_module(prefix);
        KernelOptions kopts;
        kopts.fastmath = opts.fastmath;
        llvm::Function *kernel = emit_kernel(*mod, prog, Target::host(), kopts, prefix);
        build_elementwise_loop(*mod, kernel, out.ins, out.outs, prefix + "_loop");
        verify_or_throw(*mod);
        if (opts.debug > 1)
            debug_print(opts.debug, "LLVM IR", module_text(*mod));

        optimize_module(*mod, optimize_options(opts));
        out.llvm_ir = module_text(*mod);
        debug_print(opts.debug, "optimized LLVM IR", out.llvm_ir);
        if (opts.keep_assembly)
            out.assembly = emit_assembly(*mod);
        return {std::move(ctx), std::move(mod)};
    } catch (CompileError &e) {
        if (e.func.empty())
            e.func = func_name;
        throw;
    }
}

// What a loop from the cache needs of its compilation, as lines "field value...".
std::string loop_metadata(const CompiledLoop &l, const std::string &chunk) {
    auto names = [](const std::vector<Scalar> &v) {
        std::string s;
        for (Scalar x : v)
            s += std::string(" ") + scalar_name(x);
        return s;
    };
    char cost[64];
    std::snprintf(cost, sizeof cost, "%a", l.cost); // hexadecimal: read back exactly
    return "chunk " + chunk + "\nins" + names(l.ins) + "\nouts" + names(l.outs) + "\ncost " + cost +
           "\n";
}

// Fills ins, outs and cost from loop_metadata's text; returns the chunk's symbol.
std::string read_loop_metadata(const std::string &text, CompiledLoop &l) {
    std::istringstream in(text);
    std::string line, chunk;
    bool have_cost = false;
    std::vector<Scalar> ins, outs;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string field, word;
        fields >> field;
        if (field == "chunk") {
            fields >> chunk;
        } else if (field == "cost") {
            fields >> word;
            l.cost = std::strtod(word.c_str(), nullptr);
            have_cost = true;
        } else if (field == "ins" || field == "outs") {
            std::vector<Scalar> &v = field == "ins" ? ins : outs;
            while (fields >> word) {
                int s = 0;
                while (s < kNumScalars && word != scalar_name(static_cast<Scalar>(s)))
                    ++s;
                if (s == kNumScalars)
                    throw CompileError(ErrorKind::Internal, "bad cached loop dtype " + word);
                v.push_back(static_cast<Scalar>(s));
            }
        }
    }
    if (chunk.empty() || !have_cost || outs.empty())
        throw CompileError(ErrorKind::Internal, "incomplete cached loop metadata");
    l.ins = std::move(ins);
    l.outs = std::move(outs);
    return chunk;
}

CompiledLoop compile_cached_loop(const std::string &module_ir, const Signature &sig,
                                 const CompileOptions &opts) {
    const OptimizeOptions oo = optimize_options(opts);
    const KeyParts parts = {{"loop nest", "elementwise"},
                            {"ir", module_ir},
                            {"signature", signature_string(sig)},
                            {"fastmath", opts.fastmath ? "1" : "0"},
                            {"boundscheck", opts.boundscheck ? "1" : "0"},
                            {"opt_level", std::to_string(oo.opt_level)},
                            {"llvm_o3", oo.llvm_o3 ? "1" : "0"}};
    CompiledLoop out;
    CachedCode code = compile_cached(parts, [&](const std::string &prefix) {
        auto [ctx, mod] = build_loop_module(module_ir, sig, opts, prefix, out);
        return BuiltModule{std::move(ctx), std::move(mod), loop_metadata(out, prefix + "_loop")};
    });
    const std::string chunk = read_loop_metadata(code.metadata, out);
    out.code = std::move(code.code);
    out.chunk = reinterpret_cast<ChunkFn>(out.code->lookup(chunk));
    out.cached = code.source != CachedCode::Source::Compiled;
    if (out.cached && opts.debug > 0)
        std::fprintf(stderr, "---- loopjit: %s for %s: machine code from the cache ----\n",
                     chunk.c_str(), signature_string(sig).c_str());
    return out;
}

} // namespace

CompiledLoop compile_elementwise(const std::string &module_ir, const Signature &sig,
                                 const CompileOptions &opts) {
    auto t0 = std::chrono::steady_clock::now();
    CompiledLoop out;
    if (opts.cache && !opts.keep_assembly) {
        out = compile_cached_loop(module_ir, sig, opts);
    } else {
        const std::string prefix = unique_prefix();
        auto [ctx, mod] = build_loop_module(module_ir, sig, opts, prefix, out);
        out.code = jit_add_module(std::move(ctx), std::move(mod));
        out.chunk = reinterpret_cast<ChunkFn>(out.code->lookup(prefix + "_loop"));
    }
    out.compile_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

} // namespace lj
