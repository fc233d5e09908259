// Maps scalar libm calls and LLVM math intrinsics to vector functions (x86-64 vector function
// ABI: _ZGV<isa>N<lanes><v per argument>_<name>): loopjit's own (src/vmath) where it has them,
// else glibc libmvec's; see vector_math.h.
#include "jit/vector_math.h"

#include "codegen/target.h"
#include "jit/host_machine.h"
#include "vmath/vmath.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/InstrTypes.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/VFABIDemangler.h>
#include <llvm/Support/DynamicLibrary.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/Transforms/Utils/ModuleUtils.h>

#include <string>
#include <unordered_set>
#include <vector>

namespace lj {
namespace {

// libm functions libmvec vectorizes (double names; the float ones add 'f'), with their arity.
struct MathFn {
    const char *name;
    int nargs;
};
constexpr MathFn kMathFns[] = {
    {"exp", 1},   {"exp2", 1}, {"exp10", 1}, {"expm1", 1}, {"log", 1},   {"log2", 1},  {"log10", 1},
    {"log1p", 1}, {"sin", 1},  {"cos", 1},   {"tan", 1},   {"asin", 1},  {"acos", 1},  {"atan", 1},
    {"sinh", 1},  {"cosh", 1}, {"tanh", 1},  {"asinh", 1}, {"acosh", 1}, {"atanh", 1}, {"cbrt", 1},
    {"erf", 1},   {"erfc", 1}, {"pow", 2},   {"atan2", 2}, {"hypot", 2},
};

// LLVM math intrinsics with a libm twin in the table above.
struct IntrinsicFn {
    llvm::Intrinsic::ID id;
    const char *name;
};
const IntrinsicFn kIntrinsics[] = {
    {llvm::Intrinsic::exp, "exp"},     {llvm::Intrinsic::exp2, "exp2"},
    {llvm::Intrinsic::exp10, "exp10"}, {llvm::Intrinsic::log, "log"},
    {llvm::Intrinsic::log2, "log2"},   {llvm::Intrinsic::log10, "log10"},
    {llvm::Intrinsic::sin, "sin"},     {llvm::Intrinsic::cos, "cos"},
    {llvm::Intrinsic::tan, "tan"},     {llvm::Intrinsic::asin, "asin"},
    {llvm::Intrinsic::acos, "acos"},   {llvm::Intrinsic::atan, "atan"},
    {llvm::Intrinsic::sinh, "sinh"},   {llvm::Intrinsic::cosh, "cosh"},
    {llvm::Intrinsic::tanh, "tanh"},   {llvm::Intrinsic::pow, "pow"},
};

// A vector ISA of the x86-64 vector function ABI: its mangling letter and register width.
struct Isa {
    char letter;
    int bits;
};

struct VectorMath {
    bool available = false;                // libmvec is loaded and has variants
    bool ours = false;                     // loopjit's vector math is in use (vmath.h)
    std::vector<Isa> isas;                 // one per width the host has, widest first
    std::unordered_set<std::string> funcs; // the variants libmvec really exports
};

std::string variant_name(const Isa &isa, int lanes, int nargs, const std::string &base) {
    return "_ZGV" + std::string(1, isa.letter) + "N" + std::to_string(lanes) +
           std::string(nargs, 'v') + "_" + base;
}

VectorMath detect() {
    VectorMath vm;
    if (!Target::host().vector_math || !llvm::Triple(Target::host().triple).isX86() ||
        !llvm::Triple(Target::host().triple).isArch64Bit())
        return vm;
    // One ISA per width: for 256 bits, AVX2 ('d') where present, else AVX ('c').
    if (host_has_feature("avx512f"))
        vm.isas.push_back({'e', 512});
    if (host_has_feature("avx2"))
        vm.isas.push_back({'d', 256});
    else if (host_has_feature("avx"))
        vm.isas.push_back({'c', 256});
    vm.isas.push_back({'b', 128});
    vm.ours = vmath::enabled();
    std::string err;
    auto lib = llvm::sys::DynamicLibrary::getPermanentLibrary("libmvec.so.1", &err);
    if (lib.isValid()) {
        for (const MathFn &fn : kMathFns) {
            for (const Isa &isa : vm.isas) {
                for (int elem_bits : {64, 32}) {
                    std::string base = std::string(fn.name) + (elem_bits == 32 ? "f" : "");
                    std::string name = variant_name(isa, isa.bits / elem_bits, fn.nargs, base);
                    if (lib.getAddressOfSymbol(name.c_str()))
                        vm.funcs.insert(name);
                }
            }
        }
    }
    vm.available = !vm.funcs.empty();
    return vm;
}

// The vector variant of `base` ("exp", "expf") for `isa` with `lanes` lanes: loopjit's own
// (src/vmath) where it has one, else libmvec's, else none.
std::string pick_variant(const VectorMath &vm, const Isa &isa, int lanes, int nargs,
                         const std::string &base) {
    if (vm.ours) {
        std::string ours = vmath::variant_name(base, isa.letter, lanes);
        if (!ours.empty())
            return ours;
    }
    std::string name = variant_name(isa, lanes, nargs, base);
    return vm.funcs.count(name) ? name : std::string();
}

const VectorMath &vector_math() {
    static const VectorMath vm = detect();
    return vm;
}

// The libm name ("exp", "expf") a scalar function or intrinsic computes and its arity, or an
// empty name if it is none of ours.
std::pair<std::string, int> math_base(const llvm::Function &f) {
    llvm::FunctionType *fty = f.getFunctionType();
    llvm::Type *t = fty->getReturnType();
    if (!(t->isDoubleTy() || t->isFloatTy()) || fty->isVarArg())
        return {"", 0};
    for (llvm::Type *p : fty->params())
        if (p != t)
            return {"", 0};
    const int nargs = static_cast<int>(fty->getNumParams());
    const std::string suffix = t->isFloatTy() ? "f" : "";
    auto arity_of = [](llvm::StringRef name) {
        for (const MathFn &fn : kMathFns)
            if (name == fn.name)
                return fn.nargs;
        return 0;
    };
    if (f.isIntrinsic()) {
        for (const IntrinsicFn &in : kIntrinsics)
            if (in.id == f.getIntrinsicID() && arity_of(in.name) == nargs)
                return {in.name + suffix, nargs};
        return {"", 0};
    }
    llvm::StringRef name = f.getName();
    if (!suffix.empty() && !name.consume_back("f"))
        return {"", 0};
    if (arity_of(name) != nargs)
        return {"", 0};
    return {name.str() + suffix, nargs};
}

} // namespace

bool vector_math_available() {
    return vector_math().available;
}

int add_vector_math_variants(llvm::Module &m) {
    const VectorMath &vm = vector_math();
    if (!vm.available && !vm.ours)
        return 0;
    std::vector<llvm::Function *> scalars;
    for (llvm::Function &f : m.functions())
        if (f.isDeclaration())
            scalars.push_back(&f);

    std::vector<llvm::GlobalValue *> declared;
    int count = 0;
    for (llvm::Function *f : scalars) {
        auto [base, nargs] = math_base(*f);
        if (base.empty())
            continue;
        if (!f->isIntrinsic()) {
            f->setDoesNotAccessMemory();
            f->setDoesNotThrow();
            f->setWillReturn();
        }
        llvm::Type *elem = f->getReturnType();
        const int elem_bits = static_cast<int>(elem->getPrimitiveSizeInBits());
        std::string mappings(f->getFnAttribute(llvm::VFABI::MappingsAttrName).getValueAsString());
        for (const Isa &isa : vm.isas) {
            const int lanes = isa.bits / elem_bits;
            std::string vname = pick_variant(vm, isa, lanes, nargs, base);
            if (vname.empty())
                continue;
            auto *vty = llvm::FixedVectorType::get(elem, lanes);
            auto *vfty = llvm::FunctionType::get(
                vty, std::vector<llvm::Type *>(static_cast<size_t>(nargs), vty), false);
            auto callee = m.getOrInsertFunction(vname, vfty);
            auto *vf = llvm::dyn_cast<llvm::Function>(callee.getCallee());
            if (!vf || vf->getFunctionType() != vfty)
                continue; // a same-named symbol of another type: leave it alone
            vf->setDoesNotAccessMemory();
            vf->setDoesNotThrow();
            vf->setWillReturn();
            declared.push_back(vf);
            std::string mapping = "_ZGV_LLVM_N" + std::to_string(lanes) +
                                  std::string(static_cast<size_t>(nargs), 'v') + "_" +
                                  f->getName().str() + "(" + vname + ")";
            if (mappings.find(mapping) != std::string::npos)
                continue;
            if (!mappings.empty())
                mappings += ",";
            mappings += mapping;
        }
        // On the declaration, not the call sites: calls that passes create later (instcombine
        // rewriting pow(x, 0.5), inlining) see it too.
        if (!mappings.empty()) {
            f->addFnAttr(llvm::VFABI::MappingsAttrName, mappings);
            ++count;
        }
    }
    // The vectorizer only uses variants declared in the module; keep them through the early
    // dead-declaration cleanups.
    if (!declared.empty())
        llvm::appendToCompilerUsed(m, declared);
    return count;
}

void strip_vector_math_annotations(llvm::Module &m) {
    auto is_variant = [](const llvm::Function *f) {
        return f && f->isDeclaration() && f->getName().starts_with("_ZGV");
    };
    for (llvm::Function &f : m.functions()) {
        f.removeFnAttr(llvm::VFABI::MappingsAttrName);
        for (llvm::User *u : f.users())
            if (auto *call = llvm::dyn_cast<llvm::CallBase>(u))
                call->removeFnAttr(llvm::VFABI::MappingsAttrName);
    }
    // The used list only kept the declarations alive for the vectorizer, whose work is done.
    llvm::removeFromUsedLists(m, [&](llvm::Constant *c) {
        return is_variant(llvm::dyn_cast<llvm::Function>(c->stripPointerCasts()));
    });
    std::vector<llvm::Function *> dead;
    for (llvm::Function &f : m.functions()) {
        if (!is_variant(&f))
            continue;
        f.removeDeadConstantUsers();
        if (f.use_empty())
            dead.push_back(&f);
    }
    for (llvm::Function *f : dead)
        f->eraseFromParent();
}

} // namespace lj
