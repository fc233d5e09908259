// compile_gufunc (compile_gufunc.h): checks the signature against the layout and the kernel's
// use of its outputs, types the kernel twice (core arrays of any layout, and C-contiguous ones,
// which LLVM vectorizes with constant strides), and builds the gufunc loop nest around both.
#include "compile_gufunc.h"

#include "codegen/kernel.h"
#include "codegen/target.h"
#include "compile_support.h"
#include "ir/text.h"
#include "loopnest/cost.h"
#include "loopnest/gufunc.h"
#include "loopnest/kernel_runtime.h"
#include "typing/infer.h"

#include <chrono>
#include <set>

namespace lj {
namespace {

std::string ordinal_name(const std::vector<std::string> &names, size_t k) {
    return k < names.size() ? "'" + names[k] + "'" : "#" + std::to_string(k + 1);
}

// The array a target like out[i][j] writes into: its Name, or null.
const Node *stored_array(const Node &target) {
    const Node *n = &target;
    while (n->kind == NodeKind::GetItem)
        n = n->kid(0);
    return n->kind == NodeKind::Name ? n : nullptr;
}

// Numba users' commonest gufunc mistakes, found before typing: an output rebound
// (`out = x`, which writes nothing: numba#2010) or never written at all.
class OutputUse {
public:
    OutputUse(const Node &func, int nin) {
        const Node &params = *func.kid(0);
        for (size_t k = static_cast<size_t>(nin); k < params.kids.size(); ++k)
            outputs_.insert(params.kid(k)->name);
        walk(*func.kid(1));
        for (size_t k = static_cast<size_t>(nin); k < params.kids.size(); ++k) {
            const Node &p = *params.kid(k);
            if (!written_.count(p.name))
                throw CompileError(ErrorKind::Typing,
                                   "output '" + p.name + "' is never written: a gufunc returns "
                                   "its results by writing into its output arguments, e.g. " +
                                       p.name + "[0] = value",
                                   p.loc);
        }
    }

private:
    std::set<std::string> outputs_, written_;

    void rebinding(const Node &target) {
        if (target.kind == NodeKind::Tuple) {
            for (const auto &k : target.kids)
                rebinding(*k);
            return;
        }
        if (target.kind == NodeKind::Name && outputs_.count(target.name))
            throw CompileError(ErrorKind::Typing,
                               "assigning to output '" + target.name +
                                   "' rebinds the name and writes nothing: write into it, e.g. " +
                                   target.name + "[0] = value or " + target.name + "[:] = value",
                               target.loc);
        if (target.kind == NodeKind::GetItem)
            if (const Node *a = stored_array(target))
                written_.insert(a->name);
    }

    void walk(const Node &n) {
        switch (n.kind) {
        case NodeKind::Assign:
        case NodeKind::AugAssign:
            rebinding(*n.kid(0));
            break;
        case NodeKind::For:
            rebinding(*n.kid(0));
            break;
        case NodeKind::SetExpr:
            if (outputs_.count(n.name)) {
                Node name(NodeKind::Name, n.loc);
                name.name = n.name;
                rebinding(name);
            }
            break;
        case NodeKind::Call:
            // Passed to a loopjit function, an output may be written there.
            if (!n.name.empty() && n.name[0] == '@')
                for (const auto &k : n.kids)
                    if (k->kind == NodeKind::Name && outputs_.count(k->name))
                        written_.insert(k->name);
            break;
        default:
            break;
        }
        for (const auto &k : n.kids)
            walk(*k);
    }
};

} // namespace

CompiledGufunc compile_gufunc(const std::string &module_ir, const Signature &sig,
                              const GufuncSpec &spec, const CompileOptions &opts) {
    const auto t0 = std::chrono::steady_clock::now();
    NodePtr module = parse_ir(module_ir);
    const Node &func = *module->kid(0);
    const std::string func_name = func.name;
    try {
        const size_t nops = spec.core_dims.size();
        std::vector<std::string> names;
        for (const auto &p : func.kid(0)->kids)
            names.push_back(p->name);
        if (sig.args.size() != nops)
            throw CompileError(ErrorKind::Signature,
                               "the layout has " + std::to_string(nops) +
                                   " arguments (inputs and outputs) but the signature '" +
                                   signature_string(sig) + "' has " +
                                   std::to_string(sig.args.size()));
        if (names.size() != nops)
            throw CompileError(ErrorKind::Signature,
                               "'" + func_name + "' takes " + std::to_string(names.size()) +
                                   " parameters but the layout has " + std::to_string(nops) +
                                   " arguments (inputs, then outputs)",
                               func.loc);
        if (sig.ret && sig.ret->kind != TypeKind::None)
            throw CompileError(ErrorKind::Signature,
                               "a gufunc kernel returns nothing (void): its outputs are its "
                               "last arguments, not a return value of " + type_name(sig.ret));
        if (spec.nin < 1 || static_cast<size_t>(spec.nin) >= nops)
            throw CompileError(ErrorKind::Signature, "a gufunc needs at least one input and "
                                                     "one output");
        OutputUse(func, spec.nin);

        CompiledGufunc out;
        out.nin = spec.nin;
        std::vector<GufuncOperand> ops;
        std::vector<TypeRef> any_types, c_types;
        bool has_core_arrays = false;
        for (size_t k = 0; k < nops; ++k) {
            TypeRef a = sig.args[k];
            const int core = static_cast<int>(spec.core_dims[k].size());
            const bool input = static_cast<int>(k) < spec.nin;
            const std::string who = (input ? "argument " : "output ") + ordinal_name(names, k);
            GufuncOperand op;
            op.core_dims = spec.core_dims[k];
            out.written.push_back(!input || (k < spec.writable.size() && spec.writable[k]));
            if (a->kind == TypeKind::Scalar) {
                if (!input)
                    throw CompileError(ErrorKind::Signature,
                                       who + " must be declared an array, e.g. " +
                                           std::string(scalar_name(a->scalar)) +
                                           "[:], and written as " + names[k] + "[0] = value");
                if (core != 0)
                    throw CompileError(ErrorKind::Signature,
                                       who + " is declared a scalar " + type_name(a) +
                                           " but its layout has " + std::to_string(core) +
                                           " core dimension" + (core > 1 ? "s" : "") +
                                           ": declare it " + scalar_name(a->scalar) + "[" +
                                           std::string(core > 1 ? ":, :" : ":") + "]");
                op.dtype = a->scalar;
                op.as_scalar = true;
                any_types.push_back(a);
                c_types.push_back(a);
                ops.push_back(op);
                out.dtypes.push_back(a->scalar);
                continue;
            }
            if (a->kind != TypeKind::Array)
                throw CompileError(ErrorKind::Signature,
                                   who + " has type " + type_name(a) +
                                       ": gufunc arguments are arrays or numbers");
            if (!(a->ndim == core || (core == 0 && a->ndim == 1)))
                throw CompileError(ErrorKind::Signature,
                                   who + " is declared " + std::to_string(a->ndim) + "-d (" +
                                       type_name(a) + ") but its layout has " +
                                       std::to_string(core) + " core dimension" +
                                       (core == 1 ? "" : "s"));
            const bool readonly =
                input && !(k < spec.writable.size() && spec.writable[k]);
            op.dtype = a->scalar;
            ops.push_back(op);
            out.dtypes.push_back(a->scalar);
            any_types.push_back(array_type(a->scalar, a->ndim, Layout::A, readonly));
            c_types.push_back(array_type(a->scalar, a->ndim, core > 0 ? Layout::C : Layout::A,
                                         readonly));
            has_core_arrays = has_core_arrays || core > 0;
        }
        debug_print(opts.debug, "untyped IR", module_ir);
        TypedProgram any = infer_types(*module, any_types, none_type());
        out.typed_ir = print_ir(*any.functions[0].func, true);
        for (size_t i = 1; i < any.functions.size(); ++i)
            out.typed_ir += "\n" + print_ir(*any.functions[i].func, true);
        debug_print(opts.debug, "typed IR", out.typed_ir);
        out.cost = estimate_cost(any);

        const std::string prefix = unique_prefix();
        auto [ctx, mod] = new_host_module(prefix);
        KernelOptions kopts;
        kopts.fastmath = opts.fastmath;
        kopts.boundscheck = opts.boundscheck;
        llvm::Function *k_any = emit_kernel(*mod, any, Target::host(), kopts, prefix + "a");
        llvm::Function *k_c = nullptr;
        if (has_core_arrays) {
            TypedProgram c = infer_types(*module, c_types, none_type());
            k_c = emit_kernel(*mod, c, Target::host(), kopts, prefix + "c");
        }
        const std::string loop_name = prefix + "_loop";
        build_gufunc_loop(*mod, k_any, k_c, ops, loop_name);
        out.can_raise = module_can_raise(*mod);
        FinishedModule done = finish_module(std::move(ctx), std::move(mod), loop_name, opts);
        out.code = std::move(done.code);
        out.chunk = done.chunk;
        out.llvm_ir = std::move(done.llvm_ir);
        out.assembly = std::move(done.assembly);
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
