// compile_stencil (compile_stencil.h).
#include "compile_stencil.h"

#include "codegen/target.h"
#include "compile_support.h"
#include "ir/text.h"
#include "loopnest/cost.h"
#include "loopnest/kernel_runtime.h"
#include "typing/infer.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

namespace lj {
namespace {

const char *kCenterPrefix = "__lj_center";

// The value of an index made of integer literals and + - * (`-1 + 0`), if it is one.
std::optional<int64_t> constant(const Node &n) {
    switch (n.kind) {
    case NodeKind::Int:
        return n.ival;
    case NodeKind::Unary:
        if (auto v = constant(*n.kid(0))) {
            if (n.op == Op::Neg)
                return -*v;
            if (n.op == Op::Pos)
                return *v;
        }
        return std::nullopt;
    case NodeKind::BinOp: {
        auto a = constant(*n.kid(0)), b = constant(*n.kid(1));
        if (!a || !b)
            return std::nullopt;
        switch (n.op) {
        case Op::Add:
            return *a + *b;
        case Op::Sub:
            return *a - *b;
        case Op::Mul:
            return *a * *b;
        default:
            return std::nullopt;
        }
    }
    default:
        return std::nullopt;
    }
}

// Rewrites a[i, j] of relative arrays into StencilRead nodes and collects the reach of
// constant indices; remembers the first non-constant one.
class RelativeReads {
public:
    RelativeReads(std::set<std::string> relative, int ndim)
        : relative_(std::move(relative)), ndim_(ndim), lo_(ndim, 0), hi_(ndim, 0) {}

    void rewrite(NodePtr &slot) {
        Node &n = *slot;
        if ((n.kind == NodeKind::Assign || n.kind == NodeKind::AugAssign) &&
            n.kid(0)->kind == NodeKind::GetItem) {
            const Node &a = *n.kid(0)->kid(0);
            if (a.kind == NodeKind::Name && relative_.count(a.name))
                throw CompileError(ErrorKind::Typing,
                                   "array '" + a.name + "' is read-only: a stencil kernel "
                                   "returns the value of its point and may not write to its "
                                   "inputs",
                                   n.kid(0)->loc);
        }
        for (auto &k : slot->kids)
            rewrite(k);
        if (n.kind != NodeKind::GetItem || n.kid(0)->kind != NodeKind::Name ||
            !relative_.count(n.kid(0)->name))
            return;
        std::vector<NodePtr> idx;
        if (n.kid(1)->kind == NodeKind::Tuple) {
            for (auto &k : n.kid(1)->kids)
                idx.push_back(std::move(k));
        } else {
            idx.push_back(std::move(n.kids[1]));
        }
        if (static_cast<int>(idx.size()) != ndim_)
            throw CompileError(ErrorKind::Typing,
                               "a stencil kernel reads '" + n.kid(0)->name + "' with " +
                                   std::to_string(idx.size()) + " relative ind" +
                                   (idx.size() == 1 ? "ex" : "ices") + "; it needs one per "
                                   "dimension (" + std::to_string(ndim_) + ")",
                               n.loc);
        auto read = make_node(NodeKind::StencilRead, n.loc);
        read->kids.push_back(std::move(n.kids[0]));
        for (int k = 0; k < ndim_; ++k) {
            Node &ix = *idx[k];
            if (ix.kind == NodeKind::Slice)
                throw CompileError(ErrorKind::Unsupported,
                                   "slices of relatively indexed arrays are not supported in "
                                   "stencil kernels",
                                   ix.loc);
            if (auto v = constant(ix)) {
                lo_[k] = std::min(lo_[k], *v);
                hi_[k] = std::max(hi_[k], *v);
                constants_.push_back({k, *v, ix.loc});
                auto lit = make_node(NodeKind::Int, ix.loc);
                lit->ival = *v;
                idx[k] = std::move(lit);
            } else if (!variable_) {
                variable_ = ix.loc;
            }
            read->kids.push_back(std::move(idx[k]));
        }
        for (int k = 0; k < ndim_; ++k) {
            auto c = make_node(NodeKind::Name, n.loc);
            c->name = kCenterPrefix + std::to_string(k);
            read->kids.push_back(std::move(c));
        }
        slot = std::move(read);
    }

    struct Constant {
        int dim;
        int64_t value;
        SourceLoc loc;
    };
    std::set<std::string> relative_;
    int ndim_;
    std::vector<int64_t> lo_, hi_; // most negative and most positive constant offsets
    std::vector<Constant> constants_;
    std::optional<SourceLoc> variable_;
};

TypeRef ret_scalar(const TypedProgram &p, SourceLoc loc) {
    TypeRef r = materialize(p.functions[0].ret);
    if (r->kind != TypeKind::Scalar)
        throw CompileError(ErrorKind::Typing,
                           "a stencil kernel returns the value of one output point (a number), "
                           "not " + type_name(r),
                           loc);
    return r;
}

} // namespace

CompiledStencil compile_stencil(const std::string &module_ir, const Signature &sig,
                                const StencilSpec &spec, const CompileOptions &opts) {
    const auto t0 = std::chrono::steady_clock::now();
    NodePtr module = parse_ir(module_ir);
    Node &func = *module->kid(0);
    const std::string func_name = func.name;
    try {
        Node &params = *func.kid(0);
        const size_t np = params.kids.size();
        if (sig.args.size() != np || spec.kinds.size() != np)
            throw CompileError(ErrorKind::Signature,
                               "'" + func_name + "' takes " + std::to_string(np) +
                                   " parameters but was called with " +
                                   std::to_string(sig.args.size()) + " arguments",
                               func.loc);
        if (np == 0 || spec.kinds[0] != StencilOperand::Kind::Relative ||
            sig.args[0]->kind != TypeKind::Array)
            throw CompileError(ErrorKind::Signature,
                               "a stencil's first argument must be an array it reads with "
                               "relative indices",
                               func.loc);
        CompiledStencil out;
        out.ndim = sig.args[0]->ndim;
        std::set<std::string> relative;
        std::vector<TypeRef> any, contiguous;
        for (size_t k = 0; k < np; ++k) {
            TypeRef t = sig.args[k];
            StencilOperand op{spec.kinds[k], Scalar::Float64, 0};
            if (spec.kinds[k] == StencilOperand::Kind::Number) {
                if (t->kind != TypeKind::Scalar)
                    throw CompileError(ErrorKind::Signature, "argument '" +
                                                                 params.kid(k)->name +
                                                                 "' must be a number");
                op.dtype = t->scalar;
                any.push_back(t);
                contiguous.push_back(t);
            } else {
                if (t->kind != TypeKind::Array)
                    throw CompileError(ErrorKind::Signature,
                                       "argument '" + params.kid(k)->name + "' must be an array");
                if (spec.kinds[k] == StencilOperand::Kind::Relative) {
                    if (t->ndim != out.ndim)
                        throw CompileError(ErrorKind::Signature,
                                           "argument '" + params.kid(k)->name + "' has " +
                                               std::to_string(t->ndim) + " dimensions but '" +
                                               params.kid(0)->name + "' has " +
                                               std::to_string(out.ndim));
                    relative.insert(params.kid(k)->name);
                }
                op.dtype = t->scalar;
                op.ndim = t->ndim;
                const bool rel = spec.kinds[k] == StencilOperand::Kind::Relative;
                any.push_back(array_type(t->scalar, t->ndim, Layout::A, true));
                contiguous.push_back(
                    array_type(t->scalar, t->ndim, rel ? Layout::C : Layout::A, true));
            }
            out.operands.push_back(op);
        }
        RelativeReads reads(relative, out.ndim);
        reads.rewrite(func.kids[1]);
        const auto &nb = spec.neighborhood;
        if (!nb.empty() && static_cast<int>(nb.size()) != out.ndim)
            throw CompileError(ErrorKind::Signature,
                               "neighborhood has " + std::to_string(nb.size()) +
                                   " (lo, hi) pairs but the stencil's arrays have " +
                                   std::to_string(out.ndim) + " dimensions");
        if (nb.empty() && reads.variable_)
            throw CompileError(ErrorKind::Typing,
                               "this relative index is not a constant: give the stencil a "
                               "neighborhood=((lo, hi), ...) that bounds it",
                               *reads.variable_);
        for (const auto &c : reads.constants_)
            if (!nb.empty() && (c.value < nb[c.dim].first || c.value > nb[c.dim].second))
                throw CompileError(ErrorKind::Typing,
                                   "relative index " + std::to_string(c.value) + " on axis " +
                                       std::to_string(c.dim) +
                                       " is outside the declared neighborhood (" +
                                       std::to_string(nb[c.dim].first) + ", " +
                                       std::to_string(nb[c.dim].second) + ")",
                                   c.loc);
        for (int k = 0; k < out.ndim; ++k) {
            const int64_t lo = nb.empty() ? reads.lo_[k] : nb[k].first;
            const int64_t hi = nb.empty() ? reads.hi_[k] : nb[k].second;
            out.lo.push_back(std::max<int64_t>(0, -lo));
            out.hi.push_back(std::max<int64_t>(0, hi));
        }
        for (int k = 0; k < out.ndim; ++k) {
            auto c = make_node(NodeKind::Name, params.loc);
            c->name = kCenterPrefix + std::to_string(k);
            params.kids.push_back(std::move(c));
            any.push_back(scalar_type(Scalar::Int64));
            contiguous.push_back(scalar_type(Scalar::Int64));
        }

        debug_print(opts.debug, "stencil IR", print_ir(*module));
        TypedProgram prog_any = infer_types(*module, any, nullptr);
        TypeRef result = ret_scalar(prog_any, func.loc);
        TypeRef out_type = spec.out ? spec.out : result;
        if (out_type != prog_any.functions[0].ret)
            prog_any = infer_types(*module, any, out_type);
        TypedProgram prog_c = infer_types(*module, contiguous, out_type);
        out.out = out_type->scalar;
        out.typed_ir = print_ir(*prog_any.functions[0].func, true);
        debug_print(opts.debug, "typed IR", out.typed_ir);
        out.cost = estimate_cost(prog_any);

        const std::string prefix = unique_prefix();
        auto [ctx, mod] = new_host_module(prefix);
        KernelOptions kopts;
        kopts.fastmath = opts.fastmath;
        kopts.boundscheck = opts.boundscheck;
        kopts.stencil_mode = spec.mode;
        kopts.stencil_cval = spec.cval;
        kopts.stencil_cval_imag = spec.cval_imag;
        kopts.stencil_neighborhood = nb;
        llvm::Function *interior = emit_kernel(*mod, prog_any, Target::host(), kopts, prefix + "i");
        llvm::Function *interior_c =
            emit_kernel(*mod, prog_c, Target::host(), kopts, prefix + "c");
        kopts.stencil_border = true;
        llvm::Function *border = emit_kernel(*mod, prog_any, Target::host(), kopts, prefix + "b");
        // Border points are few and the border kernel is large (a mode mapping per read): one
        // out-of-line copy instead of one per border loop of the nest.
        border->removeFnAttr(llvm::Attribute::AlwaysInline);
        border->addFnAttr(llvm::Attribute::NoInline);
        StencilLoopSpec ls;
        ls.operands = out.operands;
        ls.ndim = out.ndim;
        ls.out = out.out;
        ls.lo = out.lo;
        ls.hi = out.hi;
        const std::string loop_name = prefix + "_loop";
        build_stencil_loop(*mod, interior, interior_c, border, ls, loop_name);
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
