// Test helpers for kernel codegen: emit a kernel from IR text (and verify the module), and run
// it through a small ORC JIT of the test's own, both unoptimized and after LLVM's O3 pipeline,
// so semantics are checked independently of the project's JIT layer.
#pragma once

#include "codegen/kernel.h"
#include "codegen/llvm_types.h"
#include "kernel_text.h"
#include "typing/infer.h"
#include "typing/signature.h"

#include <gtest/gtest.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <array>
#include <atomic>
#include <complex>
#include <cstring>
#include <memory>

namespace lj::test {

inline const Target &test_target() {
    static const Target t = [] {
        Target t;
        t.kind = Target::Kind::Host;
        return t;
    }();
    return t;
}

struct Emitted {
    std::unique_ptr<llvm::LLVMContext> ctx = std::make_unique<llvm::LLVMContext>();
    std::unique_ptr<llvm::Module> module;
    llvm::Function *kernel = nullptr;
    TypedProgram prog;

    std::string ir() const {
        std::string s;
        llvm::raw_string_ostream os(s);
        module->print(os, nullptr);
        return s;
    }
};

inline std::string verify(const llvm::Module &m) {
    std::string errors;
    llvm::raw_string_ostream os(errors);
    if (llvm::verifyModule(m, &os))
        return errors.empty() ? "invalid module" : errors;
    return "";
}

// Types, emits and verifies `module`'s entry for `params` ("float64, int32") and `ret`.
inline std::unique_ptr<Emitted> emit(const NodePtr &module, const std::string &params,
                                     const std::string &ret = "", bool fastmath = false) {
    auto e = std::make_unique<Emitted>();
    Signature sig = parse_signature((ret.empty() ? "" : ret) + "(" + params + ")");
    e->prog = infer_types(*module, sig.args, sig.ret);
    e->module = std::make_unique<llvm::Module>("test", *e->ctx);
    KernelOptions opts;
    opts.fastmath = fastmath;
    e->kernel = emit_kernel(*e->module, e->prog, test_target(), opts, "k");
    std::string err = verify(*e->module);
    EXPECT_EQ(err, "") << e->ir();
    return e;
}

inline void optimize_o3(llvm::Module &m) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder pb;
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(m, mam);
}

using Slot = std::array<unsigned char, 16>;
using Entry = void (*)(const Slot *in, Slot *out);

inline llvm::orc::LLJIT &test_jit() {
    static std::unique_ptr<llvm::orc::LLJIT> jit = [] {
        llvm::InitializeNativeTarget();
        llvm::InitializeNativeTargetAsmPrinter();
        auto j = llvm::orc::LLJITBuilder().create();
        if (!j)
            throw std::runtime_error(llvm::toString(j.takeError()));
        return std::move(*j);
    }();
    return *jit;
}

// Adds `void entry(const Slot *in, Slot *out)`: loads each parameter from in[i], calls the
// kernel, stores the result (each element of a tuple) to out[j]; JIT-compiles the module.
inline Entry jit_entry(std::unique_ptr<Emitted> e, bool optimize) {
    static std::atomic<int> counter{0};
    llvm::LLVMContext &ctx = *e->ctx;
    llvm::Module &m = *e->module;
    const TypedFunction &tf = e->prog.functions[0];
    std::string name = "entry" + std::to_string(counter++);
    auto *ptr = llvm::PointerType::get(ctx, 0);
    auto *fty = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr}, false);
    auto *f = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, m);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", f));
    std::vector<llvm::Value *> args;
    for (size_t i = 0; i < tf.params.size(); ++i) {
        llvm::Value *p = b.CreateConstGEP1_64(b.getInt8Ty(), f->getArg(0), 16 * i);
        args.push_back(load_element(b, p, tf.params[i]->scalar));
    }
    args.push_back(llvm::ConstantPointerNull::get(ptr)); // no error record
    llvm::Value *r = b.CreateCall(e->kernel, args);
    auto store = [&](llvm::Value *v, TypeRef t, size_t j) {
        llvm::Value *p = b.CreateConstGEP1_64(b.getInt8Ty(), f->getArg(1), 16 * j);
        store_element(b, p, v, t->scalar);
    };
    if (tf.ret->kind == TypeKind::Tuple) {
        for (unsigned j = 0; j < tf.ret->elems.size(); ++j)
            store(b.CreateExtractValue(r, j), tf.ret->elems[j], j);
    } else if (tf.ret->kind == TypeKind::Scalar) {
        store(r, tf.ret, 0);
    }
    b.CreateRetVoid();
    EXPECT_EQ(verify(m), "");
    if (optimize)
        optimize_o3(m);
    m.setDataLayout(test_jit().getDataLayout());
    llvm::orc::ThreadSafeModule tsm(std::move(e->module), std::move(e->ctx));
    if (auto err = test_jit().addIRModule(std::move(tsm)))
        throw std::runtime_error(llvm::toString(std::move(err)));
    auto sym = test_jit().lookup(name);
    if (!sym)
        throw std::runtime_error(llvm::toString(sym.takeError()));
    return sym->toPtr<Entry>();
}

template <class T> Slot to_slot(T v) {
    Slot s{};
    std::memcpy(s.data(), &v, sizeof v);
    return s;
}
inline Slot to_slot(bool v) {
    return to_slot<unsigned char>(v ? 1 : 0);
}

template <class T> T from_slot(const Slot &s) {
    T v;
    std::memcpy(&v, s.data(), sizeof v);
    return v;
}

// A kernel compiled twice, unoptimized and at O3; every call runs both and checks they agree
// bit for bit (no fast-math: O3 must not change results).
class Kernel {
public:
    Kernel(const NodePtr &module, const std::string &params, const std::string &ret = "") {
        plain_ = jit_entry(emit(module, params, ret), false);
        opt_ = jit_entry(emit(module, params, ret), true);
    }

    template <class... A> std::array<Slot, 4> run(A... args) const {
        Slot in[sizeof...(A) + 1] = {to_slot(args)...};
        std::array<Slot, 4> a{}, b{};
        plain_(in, a.data());
        opt_(in, b.data());
        EXPECT_EQ(a, b) << "unoptimized and O3 results differ";
        return b;
    }
    template <class R, class... A> R call(A... args) const { return from_slot<R>(run(args...)[0]); }

private:
    Entry plain_ = nullptr, opt_ = nullptr;
};

} // namespace lj::test
