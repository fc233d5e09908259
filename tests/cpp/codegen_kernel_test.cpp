// Kernel codegen, checked on the emitted LLVM IR: every construct verifies, kernels are internal
// always-inline functions, NumPy semantics show up as the intended instructions, and no flags
// that would change results appear unless fast-math is asked for.
#include "codegen_helpers.h"

using namespace lj;
using namespace lj::test;

namespace {

bool has(const std::string &ir, const std::string &s) {
    return ir.find(s) != std::string::npos;
}

// The text of the entry kernel function alone.
std::string kernel_ir(const Emitted &e) {
    std::string s;
    llvm::raw_string_ostream os(s);
    e.kernel->print(os);
    return s;
}

} // namespace

TEST(CodegenKernel, FunctionShape) {
    auto e = emit(kernel("x y", "(return (binop + (binop * (int 2) (name x)) (name y)))"),
                  "float32, float32");
    llvm::Function *f = e->kernel;
    EXPECT_TRUE(f->hasInternalLinkage());
    EXPECT_TRUE(f->hasFnAttribute(llvm::Attribute::AlwaysInline));
    EXPECT_TRUE(f->hasFnAttribute(llvm::Attribute::NoUnwind));
    EXPECT_TRUE(f->getReturnType()->isFloatTy());
    ASSERT_EQ(f->arg_size(), 3u); // x, y and the error record
    EXPECT_EQ(f->getArg(0)->getName(), "x");
    EXPECT_TRUE(f->getArg(2)->getType()->isPointerTy());
    EXPECT_EQ(f->getName(), "k.f");
    std::string ir = kernel_ir(*e);
    EXPECT_TRUE(has(ir, "fmul float 2.000000e+00")) << ir;
    EXPECT_FALSE(has(ir, "fast")) << ir;
    EXPECT_FALSE(has(ir, "double")) << ir;
}

TEST(CodegenKernel, LocalsAreEntryAllocas) {
    auto e = emit(kernel("x", "(assign (name a) (int 1)) "
                              "(while (cmp < (name a) (name x)) (block "
                              "(augassign * (name a) (int 2))) (block)) (return (name a))"),
                  "int64");
    llvm::BasicBlock &entry = e->kernel->getEntryBlock();
    int allocas = 0;
    for (auto &bb : *e->kernel)
        for (auto &inst : bb)
            if (llvm::isa<llvm::AllocaInst>(inst)) {
                EXPECT_EQ(&bb, &entry);
                ++allocas;
            }
    EXPECT_EQ(allocas, 2);
}

TEST(CodegenKernel, IntegerArithmeticWrapsAndGuardsDivision) {
    auto e = emit(kernel("a b", "(return (tuple (binop + (name a) (name b)) "
                                "(binop // (name a) (name b)) (binop % (name a) (name b))))"),
                  "int32, int32");
    std::string ir = kernel_ir(*e);
    EXPECT_FALSE(has(ir, "nsw")) << ir;
    EXPECT_FALSE(has(ir, "nuw")) << ir;
    EXPECT_TRUE(has(ir, "sdiv")) << ir;
    EXPECT_TRUE(has(ir, "select")) << ir; // the divisor guard
}

TEST(CodegenKernel, FloatToIntIsSaturating) {
    auto e = emit(kernel("x", "(return (name x))"), "float64", "int32");
    std::string ir = kernel_ir(*e);
    EXPECT_TRUE(has(ir, "llvm.fptosi.sat.i32.f64")) << ir;
    auto u = emit(kernel("x", "(return (name x))"), "float32", "uint8");
    EXPECT_TRUE(has(kernel_ir(*u), "llvm.fptoui.sat.i8.f32"));
}

TEST(CodegenKernel, PowerLowering) {
    auto f = emit(kernel("x y", "(return (binop ** (name x) (name y)))"), "float64, float64");
    EXPECT_TRUE(has(kernel_ir(*f), "llvm.pow.f64"));
    auto fi = emit(kernel("x n", "(return (binop ** (name x) (name n)))"), "float32, int64");
    EXPECT_TRUE(has(kernel_ir(*fi), "llvm.pow.f64")); // float32 ** int64 -> float64
    auto sq = emit(kernel("x", "(return (binop ** (name x) (int 2)))"), "int64");
    std::string ir = kernel_ir(*sq);
    EXPECT_TRUE(has(ir, "mul i64")) << ir;
    EXPECT_FALSE(has(ir, "ipow")) << ir; // constant exponent: no loop
    auto rt = emit(kernel("x n", "(return (binop ** (name x) (name n)))"), "int64, int64");
    EXPECT_TRUE(has(kernel_ir(*rt), "ipow.head"));
}

TEST(CodegenKernel, IfExpOfPureArmsIsASelect) {
    auto e = emit(kernel("x", "(return (ifexp (cmp > (name x) (int 0)) (name x) "
                              "(binop * (name x) (float 0.5))))"),
                  "float64");
    EXPECT_EQ(e->kernel->size(), 1u); // one basic block
    EXPECT_TRUE(has(kernel_ir(*e), "select"));
    auto a = emit(kernel("x y", "(return (and (name x) (name y)))"), "float64, float64");
    EXPECT_EQ(a->kernel->size(), 1u);
}

TEST(CodegenKernel, SideEffectsInArmsBranch) {
    auto e = emit(kernel("x", "(assign (name t) (int 0)) "
                              "(return (binop + (or (name x) (setexpr t (int 5))) (name t)))"),
                  "int64");
    EXPECT_GT(e->kernel->size(), 1u);
    EXPECT_TRUE(has(kernel_ir(*e), "phi"));
}

TEST(CodegenKernel, FloatDivModIsBranchFree) {
    auto e = emit(kernel("a b", "(return (tuple (binop // (name a) (name b)) "
                                "(binop % (name a) (name b))))"),
                  "float32, float32");
    EXPECT_EQ(e->kernel->size(), 1u);
    std::string ir = kernel_ir(*e);
    EXPECT_TRUE(has(ir, "frem float")) << ir;
    EXPECT_TRUE(has(ir, "llvm.floor.f32")) << ir;
}

TEST(CodegenKernel, ComplexArithmetic) {
    auto e = emit(kernel("a b", "(return (tuple (binop + (name a) (name b)) "
                                "(binop * (name a) (name b)) (binop / (name a) (name b)) "
                                "(unary neg (name a)) (cmp == (name a) (name b)) "
                                "(cmp != (name a) (name b))))"),
                  "complex64, complex64");
    EXPECT_EQ(e->kernel->size(), 1u);
    EXPECT_TRUE(has(kernel_ir(*e), "{ float, float }"));
    auto p = emit(kernel("z", "(return (binop ** (name z) (int 2)))"), "complex128");
    EXPECT_FALSE(has(kernel_ir(*p), "hypot")); // integer exponent: multiplication
    auto g = emit(kernel("z w", "(return (binop ** (name z) (name w)))"), "complex128, float64");
    EXPECT_TRUE(has(kernel_ir(*g), "@hypot"));
    EXPECT_TRUE(has(g->ir(), "declare double @hypot(double, double)"));
}

TEST(CodegenKernel, FastMathFlagsOnlyWhenAsked) {
    auto text = kernel("x y", "(return (binop + (binop * (name x) (name y)) (name y)))");
    EXPECT_FALSE(has(kernel_ir(*emit(text, "float64, float64")), "fast"));
    auto e = emit(text, "float64, float64", "", true);
    EXPECT_TRUE(has(kernel_ir(*e), "fmul fast double")) << kernel_ir(*e);
}

TEST(CodegenKernel, HelpersAreSeparateFunctions) {
    auto e = emit(kernel("x", "(return (call @sq (name x)))",
                         "(func 2:0 sq (params (name v)) (block (return (binop * (name v) "
                         "(name v)))))"),
                  "float64");
    llvm::Function *sq = e->module->getFunction("k.sq.1");
    ASSERT_NE(sq, nullptr);
    EXPECT_TRUE(sq->hasInternalLinkage());
    EXPECT_TRUE(sq->hasFnAttribute(llvm::Attribute::AlwaysInline));
    EXPECT_TRUE(has(kernel_ir(*e), "call double @k.sq.1("));
}

TEST(CodegenKernel, NoneFunctionReturnsVoid) {
    auto e = emit(kernel("x", "(assign (name y) (name x)) (return)"), "float64");
    EXPECT_TRUE(e->kernel->getReturnType()->isVoidTy());
    auto h = emit(kernel("x", "(expr (call @h (name x))) (return (name x))",
                         "(func 2:0 h (params (name v)) (block (pass)))"),
                  "float64");
    EXPECT_TRUE(e->kernel->getReturnType()->isVoidTy());
}

TEST(CodegenKernel, EveryConstructVerifies) {
    // One kernel using every statement and expression form; emit() checks verifyModule.
    auto m = kernel(
        "x n",
        "(assign (name acc) (float 0)) "
        "(assign (tuple (name a) (name b)) (tuple (name x) (int 1))) "
        "(assign (tuple (name a) (name b)) (tuple (name b) (name a))) "
        "(for (name i) (call range (int 10) (int 0) (unary neg (int 3))) (block "
        "  (if (cmp == (name i) (int 4)) (block (continue)) (block)) "
        "  (if (cmp > (name acc) (int 100)) (block (break)) (block (pass))) "
        "  (augassign + (name acc) (binop ** (name a) (int 2)))) "
        " (block (augassign - (name acc) (int 1)))) "
        "(for (name j) (call range (name n)) (block (augassign + (name acc) (name j))) (block)) "
        "(for (name j) (call range (int 0) (name n) (name n)) (block (pass)) (block)) "
        "(while (and (cmp < (int 0) (setexpr t (name acc))) (cmp < (name t) (int 1000))) "
        "  (block (augassign * (name acc) (int 2)) (if (unary not (name n)) (block (break)) "
        "(block))) (block (assign (name acc) (unary neg (name acc))))) "
        "(assign (name z) (binop * (complex 1 2) (name x))) "
        "(assign (name u) (getitem (tuple (name x) (name z) (bool 1)) (unary neg (int 1)))) "
        "(if (name u) (block (return (ifexp (cmp is (none) (none)) (name acc) (name x)))) "
        "(block)) "
        "(return (binop + (binop // (name acc) (name n)) "
        "(binop % (binop << (name n) (int 3)) (binop >> (name n) (int 70)))))");
    for (const char *sig : {"float64, int64", "float32, int8", "int32, uint16", "bool, int64"})
        emit(m, sig);
}

TEST(CodegenKernel, Float16ComputesInFloat32) {
    // NumPy's float16 loops compute in float32 and round each result.
    auto e = emit(kernel("a b", "(return (tuple (binop + (name a) (name b)) "
                                "(cmp < (name a) (name b)) (binop // (name a) (name b))))"),
                  "float16, float16");
    std::string ir = kernel_ir(*e);
    EXPECT_FALSE(has(ir, "fcmp olt half")) << ir;
    EXPECT_FALSE(has(ir, "fadd half")) << ir;
    EXPECT_TRUE(has(ir, "fadd float")) << ir;
    EXPECT_TRUE(has(ir, "fptrunc float")) << ir;
}
