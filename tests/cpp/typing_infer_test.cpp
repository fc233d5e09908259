// Type inference on the core language: promotion of operators and literals, locals unified over
// all assignments (also across loop iterations), returns, tuples, control flow, "@f" calls.
#include "typing_infer_helpers.h"

#include "typing/builtins.h"

using namespace lj;
using namespace lj::test;

namespace {

const Node &body(const TypedProgram &p, size_t f = 0) {
    return *p.functions[f].func->kid(1);
}
const Node &ret_value(const TypedProgram &p, size_t f = 0) {
    return *find(body(p, f), NodeKind::Return)->kid(0);
}

} // namespace

TEST(Infer, WeakLiteralKeepsFloat32) {
    auto m = kernel("x y", "(return (binop + (binop * (int 2) (name x)) (name y)))");
    TypedProgram p = infer(m, "float32, float32");
    ASSERT_EQ(p.functions.size(), 1u);
    EXPECT_EQ(p.functions[0].ret, T("float32"));
    EXPECT_EQ(p.functions[0].func->type, T("float32"));
    const Node *lit = find(body(p), NodeKind::Int);
    EXPECT_EQ(lit->type, T("float32")); // retyped in place, no Cast
    EXPECT_EQ(find(body(p), NodeKind::Cast), nullptr);
    expect_concrete(*p.functions[0].func);
}

TEST(Infer, InputIsNotModified) {
    auto m = kernel("x", "(return (binop + (name x) (int 1)))");
    std::string before = print_ir(*m, true);
    infer(m, "float64");
    EXPECT_EQ(print_ir(*m, true), before);
}

TEST(Infer, StrongOperandsPromoteWithCasts) {
    auto m = kernel("a b", "(return (binop + (name a) (name b)))");
    TypedProgram p = infer(m, "int64, float32");
    EXPECT_EQ(p.functions[0].ret, T("float64"));
    const Node &add = ret_value(p);
    EXPECT_EQ(add.kid(0)->kind, NodeKind::Cast);
    EXPECT_EQ(add.kid(0)->type, T("float64"));
    EXPECT_EQ(add.kid(0)->kid(0)->type, T("int64"));
    EXPECT_EQ(add.kid(1)->kind, NodeKind::Cast);
    EXPECT_EQ(infer(m, "int8, uint8").functions[0].ret, T("int16"));
    EXPECT_EQ(infer(m, "int64, uint64").functions[0].ret, T("float64"));
    EXPECT_EQ(infer(m, "float16, int8").functions[0].ret, T("float16"));
    EXPECT_EQ(infer(m, "int32, float32").functions[0].ret, T("float64"));
    EXPECT_EQ(infer(m, "complex64, float64").functions[0].ret, T("complex128"));
}

TEST(Infer, LiteralsWithStrongTypes) {
    auto m = kernel("x", "(return (binop * (name x) (float 0.5)))");
    EXPECT_EQ(infer(m, "int8").functions[0].ret, T("float64"));
    EXPECT_EQ(infer(m, "float16").functions[0].ret, T("float16"));
    EXPECT_EQ(infer(m, "complex64").functions[0].ret, T("complex64"));
    auto c = kernel("x", "(return (binop + (name x) (complex 0 1)))");
    EXPECT_EQ(infer(c, "float32").functions[0].ret, T("complex64"));
    EXPECT_EQ(infer(c, "int64").functions[0].ret, T("complex128"));
    auto i = kernel("x", "(return (binop + (name x) (int 1)))");
    EXPECT_EQ(infer(i, "bool").functions[0].ret, T("int64"));
    EXPECT_EQ(infer(i, "uint16").functions[0].ret, T("uint16"));
}

TEST(Infer, OnlyLiteralsMaterialize) {
    auto m = kernel("", "(return (binop + (int 1) (int 2)))");
    EXPECT_EQ(infer(m, "").functions[0].ret, T("int64"));
    auto f = kernel("", "(return (binop * (int 1) (float 2.5)))");
    TypedProgram p = infer(f, "");
    EXPECT_EQ(p.functions[0].ret, T("float64"));
    EXPECT_EQ(find(body(p), NodeKind::Int)->type, T("float64"));
    expect_concrete(*p.functions[0].func);
    auto c = kernel("", "(return (complex 1 2))");
    EXPECT_EQ(infer(c, "").functions[0].ret, T("complex128"));
}

TEST(Infer, TrueDivision) {
    auto m = kernel("a b", "(return (binop / (name a) (name b)))");
    TypedProgram p = infer(m, "int32, int32");
    EXPECT_EQ(p.functions[0].ret, T("float64"));
    EXPECT_EQ(ret_value(p).kid(0)->type, T("float64")); // operands cast for the division
    EXPECT_EQ(ret_value(p).kid(0)->kind, NodeKind::Cast);
    EXPECT_EQ(infer(m, "float32, float32").functions[0].ret, T("float32"));
    EXPECT_EQ(infer(m, "bool, bool").functions[0].ret, T("float64"));
    EXPECT_EQ(infer(m, "float16, int16").functions[0].ret, T("float32"));
    auto lit = kernel("x", "(return (binop * (binop / (int 1) (int 2)) (name x)))");
    EXPECT_EQ(infer(lit, "float32").functions[0].ret, T("float32")); // 1/2 is a weak float
}

TEST(Infer, BoolArithmeticFollowsNumPy) {
    auto op = [](const std::string &o) {
        return kernel("a b", "(return (binop " + o + " (name a) (name b)))");
    };
    EXPECT_EQ(infer(op("+"), "bool, bool").functions[0].ret, T("bool"));
    EXPECT_EQ(infer(op("*"), "bool, bool").functions[0].ret, T("bool"));
    EXPECT_EQ(infer(op("&"), "bool, bool").functions[0].ret, T("bool"));
    EXPECT_EQ(infer(op("^"), "bool, bool").functions[0].ret, T("bool"));
    EXPECT_EQ(infer(op("//"), "bool, bool").functions[0].ret, T("int8"));
    EXPECT_EQ(infer(op("%"), "bool, bool").functions[0].ret, T("int8"));
    EXPECT_EQ(infer(op("**"), "bool, bool").functions[0].ret, T("int8"));
    EXPECT_EQ(infer(op("<<"), "bool, bool").functions[0].ret, T("int8"));
    EXPECT_EQ(infer(op("+"), "bool, int8").functions[0].ret, T("int8"));
    EXPECT_EQ(infer(op("&"), "int16, uint8").functions[0].ret, T("int16"));
    auto inv = kernel("a", "(return (unary ~ (name a)))");
    EXPECT_EQ(infer(inv, "bool").functions[0].ret, T("bool"));
    EXPECT_EQ(infer(inv, "uint8").functions[0].ret, T("uint8"));
}

TEST(Infer, Comparisons) {
    auto m = kernel("a b", "(return (cmp < (name a) (name b)))");
    TypedProgram p = infer(m, "int64, float32");
    EXPECT_EQ(p.functions[0].ret, T("bool"));
    EXPECT_EQ(ret_value(p).kid(0)->type, T("float64"));
    EXPECT_EQ(ret_value(p).kid(1)->type, T("float64"));
    auto eq = kernel("a b", "(return (cmp == (name a) (name b)))");
    EXPECT_EQ(infer(eq, "complex64, float32").functions[0].ret, T("bool"));
}

TEST(Infer, ComparisonWithOutOfRangeIntIsByValue) {
    auto m = kernel("x", "(return (cmp < (name x) (unary neg (int 1))))");
    TypedProgram p = infer(m, "uint8");
    EXPECT_EQ(ret_value(p).kid(0)->type, T("int64"));
    const Node *lit = ret_value(p).kid(1);
    EXPECT_EQ(lit->kind, NodeKind::Int); // -1 folded into the literal
    EXPECT_EQ(lit->ival, -1);
    EXPECT_EQ(lit->type, T("int64"));
    // uint64 against a negative int: exactly, as uint64 and int64 (no type holds both).
    TypedProgram u = infer(m, "uint64");
    EXPECT_EQ(ret_value(u).kid(0)->type, T("uint64"));
    EXPECT_EQ(ret_value(u).kid(1)->type, T("int64"));
    auto big = kernel("x", "(return (cmp == (name x) (int 1000)))");
    EXPECT_EQ(ret_value(infer(big, "int8")).kid(0)->type, T("int64"));
    EXPECT_EQ(ret_value(infer(big, "int16")).kid(0)->type, T("int16"));
}

TEST(Infer, IsNoneIsKnownFromTypes) {
    auto m = kernel("x", "(return (cmp is (name x) (none)))");
    TypedProgram p = infer(m, "float64");
    EXPECT_EQ(p.functions[0].ret, T("bool"));
    EXPECT_EQ(ret_value(p).kid(0)->type, T("float64")); // no cast
}

TEST(Infer, LocalUnifiedOverAssignments) {
    auto m = kernel("x", "(assign (name a) (int 1)) (assign (name a) (float 2.5)) "
                         "(return (name a))");
    TypedProgram p = infer(m, "float32");
    EXPECT_EQ(local_type(p.functions[0], "a"), T("float64"));
    EXPECT_EQ(p.functions[0].ret, T("float64"));
    auto w = kernel("x", "(assign (name a) (int 0)) (assign (name a) (name x)) "
                         "(return (name a))");
    TypedProgram q = infer(w, "float32");
    EXPECT_EQ(local_type(q.functions[0], "a"), T("float32"));
    const Node *first = find(body(q), NodeKind::Assign);
    EXPECT_EQ(first->kid(1)->kind, NodeKind::Int);
    EXPECT_EQ(first->kid(1)->type, T("float32"));
    auto s = kernel("i f", "(assign (name a) (name i)) (assign (name a) (name f)) "
                           "(return (name a))");
    EXPECT_EQ(infer(s, "int64, float32").functions[0].ret, T("float64"));
    expect_concrete(*q.functions[0].func);
}

TEST(Infer, WeakLocalStaysWeakInUses) {
    // c holds only Python floats: stored as float64 but promotes like the literal it holds.
    auto m = kernel("x", "(assign (name c) (float 2)) (return (binop * (name x) (name c)))");
    TypedProgram p = infer(m, "float32");
    EXPECT_EQ(p.functions[0].ret, T("float32"));
    EXPECT_EQ(local_type(p.functions[0], "c"), T("float64"));
    const Node &mul = ret_value(p);
    ASSERT_EQ(mul.kid(1)->kind, NodeKind::Cast);
    EXPECT_EQ(mul.kid(1)->type, T("float32"));
    EXPECT_EQ(mul.kid(1)->kid(0)->type, T("float64"));
}

TEST(Infer, LoopWidensLocalReadEarlier) {
    // acc = 0; for i in range(n): acc = acc * 0.5 + x  -> acc is float32 everywhere.
    auto m = kernel("x n", "(assign (name acc) (int 0)) "
                           "(for (name i) (call range (name n)) (block "
                           "  (assign (name acc) (binop + (binop * (name acc) (float 0.5)) "
                           "(name x)))) (block)) (return (name acc))");
    TypedProgram p = infer(m, "float32, int32");
    EXPECT_EQ(p.functions[0].ret, T("float32"));
    EXPECT_EQ(local_type(p.functions[0], "acc"), T("float32"));
    EXPECT_EQ(local_type(p.functions[0], "i"), T("int64"));
    const Node *range = find(body(p), NodeKind::Call);
    EXPECT_EQ(range->type, range_type());
    EXPECT_EQ(range->builtin, static_cast<int>(Builtin::Range));
    EXPECT_EQ(range->kid(0)->type, T("int64"));
    expect_concrete(*p.functions[0].func);
}

TEST(Infer, ReadBeforeAssignmentInLoopBody) {
    // for i in range(3): if i > 0: z = y * 2 ; y = x   -> y is float32, z float32
    auto m = kernel("x", "(assign (name z) (int 0)) "
                         "(for (name i) (call range (int 3)) (block "
                         "  (if (cmp > (name i) (int 0)) (block (assign (name z) "
                         "(binop * (name y) (int 2)))) (block)) "
                         "  (assign (name y) (name x))) (block)) (return (name z))");
    TypedProgram p = infer(m, "float32");
    EXPECT_EQ(local_type(p.functions[0], "y"), T("float32"));
    EXPECT_EQ(p.functions[0].ret, T("float32"));
}

TEST(Infer, ForTargetWidenedByOtherAssignment) {
    auto m = kernel("x", "(assign (name i) (float 0.5)) "
                         "(for (name i) (call range (int 1) (int 10) (int 2)) (block (pass)) "
                         "(block)) (return (name i))");
    TypedProgram p = infer(m, "float64");
    EXPECT_EQ(local_type(p.functions[0], "i"), T("float64"));
    EXPECT_EQ(find(body(p), NodeKind::Call)->kids.size(), 3u);
}

TEST(Infer, AugAssign) {
    auto m = kernel("x", "(assign (name s) (int 0)) (augassign + (name s) (name x)) "
                         "(return (name s))");
    TypedProgram p = infer(m, "float32");
    EXPECT_EQ(local_type(p.functions[0], "s"), T("float32"));
    const Node *aug = find(body(p), NodeKind::AugAssign);
    EXPECT_EQ(aug->type, T("float32"));
    EXPECT_EQ(aug->kid(1)->type, T("float32"));
    auto d = kernel("x", "(assign (name s) (int 4)) (augassign / (name s) (name x)) "
                         "(return (name s))");
    TypedProgram q = infer(d, "int64");
    EXPECT_EQ(local_type(q.functions[0], "s"), T("float64"));
    EXPECT_EQ(find(body(q), NodeKind::AugAssign)->type, T("float64"));
    EXPECT_EQ(find(body(q), NodeKind::AugAssign)->kid(1)->type, T("float64"));
}

TEST(Infer, ParamWidenedInBody) {
    auto m = kernel("x", "(assign (name x) (binop / (name x) (int 2))) (return (name x))");
    TypedProgram p = infer(m, "int64");
    EXPECT_EQ(p.functions[0].params[0], T("int64"));
    EXPECT_EQ(p.functions[0].locals[0].type, T("float64"));
    EXPECT_EQ(p.functions[0].ret, T("float64"));
}

TEST(Infer, ReturnsUnify) {
    auto m = kernel("x", "(if (cmp > (name x) (int 0)) (block (return (int 1))) (block)) "
                         "(return (name x))");
    TypedProgram p = infer(m, "float32");
    EXPECT_EQ(p.functions[0].ret, T("float32"));
    const Node *first = find(body(p), NodeKind::Return);
    EXPECT_EQ(first->kid(0)->type, T("float32"));
    EXPECT_EQ(infer(m, "int8").functions[0].ret, T("int8"));
}

TEST(Infer, DeclaredReturnTypeIsTheCastTarget) {
    auto m = kernel("x", "(return (binop * (name x) (int 2)))");
    TypedProgram p = infer(m, "int64", "float32");
    EXPECT_EQ(p.functions[0].ret, T("float32"));
    const Node &v = ret_value(p);
    EXPECT_EQ(v.kind, NodeKind::Cast);
    EXPECT_EQ(v.type, T("float32"));
    EXPECT_EQ(v.kid(0)->type, T("int64"));
    auto lit = kernel("x", "(return (int 3))");
    TypedProgram q = infer(lit, "int64", "float32");
    const Node &l = ret_value(q);
    EXPECT_EQ(l.kind, NodeKind::Int); // literal retyped, no cast
    EXPECT_EQ(l.type, T("float32"));
}

TEST(Infer, TuplesConstructIndexUnpack) {
    auto m = kernel("x y", "(assign (name t) (tuple (name x) (name y) (int 1))) "
                           "(return (binop + (getitem (name t) (unary neg (int 1))) "
                           "(getitem (name t) (int 0))))");
    TypedProgram p = infer(m, "float32, int64");
    EXPECT_EQ(local_type(p.functions[0], "t"), T("Tuple(float32, int64, int64)"));
    EXPECT_EQ(p.functions[0].ret, T("float32"));
    const Node *gi = find(body(p), NodeKind::GetItem);
    EXPECT_EQ(gi->kid(1)->ival, 2); // -1 normalized
    EXPECT_EQ(gi->type, T("int64"));
    expect_concrete(*p.functions[0].func);
}

TEST(Infer, SwapAndNestedUnpacking) {
    auto m = kernel("x y", "(assign (tuple (name a) (name b)) (tuple (name x) (name y))) "
                           "(assign (tuple (name a) (name b)) (tuple (name b) (name a))) "
                           "(assign (tuple (name c) (tuple (name d) (name e))) "
                           "  (tuple (int 1) (tuple (name a) (float 2)))) "
                           "(return (tuple (name a) (name b) (name d) (name e)))");
    TypedProgram p = infer(m, "float64, int32");
    const TypedFunction &f = p.functions[0];
    EXPECT_EQ(local_type(f, "a"), T("float64"));
    EXPECT_EQ(local_type(f, "b"), T("float64"));
    EXPECT_EQ(local_type(f, "c"), T("int64"));
    EXPECT_EQ(local_type(f, "e"), T("float64"));
    EXPECT_EQ(f.ret, T("Tuple(float64, float64, float64, float64)"));
    const Node *swap = body(p).kid(1);
    EXPECT_EQ(swap->kid(1)->type, T("Tuple(float64, float64)"));
    expect_concrete(*f.func);
}

TEST(Infer, ReturnTupleDeclared) {
    auto m = kernel("x", "(return (tuple (name x) (binop * (name x) (int 2))))");
    TypedProgram p = infer(m, "int32", "UniTuple(float64, 2)");
    EXPECT_EQ(p.functions[0].ret, T("UniTuple(float64, 2)"));
    EXPECT_EQ(ret_value(p).type, T("UniTuple(float64, 2)"));
    EXPECT_EQ(ret_value(p).kid(0)->kind, NodeKind::Cast); // element-wise, into the display
}

TEST(Infer, ReturnTuplesUnifyElementwise) {
    auto m = kernel("x", "(if (name x) (block (return (tuple (int 1) (name x)))) (block)) "
                         "(return (tuple (float 1.5) (int 0)))");
    TypedProgram p = infer(m, "int16");
    EXPECT_EQ(p.functions[0].ret, T("Tuple(float64, int16)"));
}

TEST(Infer, AndOrIfExp) {
    auto m = kernel("a b", "(return (or (name a) (name b)))");
    EXPECT_EQ(infer(m, "bool, float32").functions[0].ret, T("float32"));
    EXPECT_EQ(infer(m, "bool, bool").functions[0].ret, T("bool"));
    auto i = kernel("c a b", "(return (ifexp (name c) (name a) (name b)))");
    TypedProgram p = infer(i, "float64, int8, uint8");
    EXPECT_EQ(p.functions[0].ret, T("int16"));
    EXPECT_EQ(ret_value(p).kid(0)->type, T("float64")); // condition keeps its type
}

TEST(Infer, ChainedComparisonTemporary) {
    // 0 < x < 1 as the front end lowers it: (0 < (t := x)) and (t < 1)
    auto m = kernel("x", "(return (and (cmp < (int 0) (setexpr $t0 (name x))) "
                         "(cmp < (name $t0) (int 1))))");
    TypedProgram p = infer(m, "float32");
    EXPECT_EQ(p.functions[0].ret, T("bool"));
    EXPECT_EQ(local_type(p.functions[0], "$t0"), T("float32"));
    const Node *se = find(body(p), NodeKind::SetExpr);
    EXPECT_EQ(se->type, T("float32"));
    EXPECT_GE(se->slot, 1);
    expect_concrete(*p.functions[0].func);
}

TEST(Infer, WalrusWidensLocal) {
    auto m = kernel("x", "(assign (name y) (int 1)) "
                         "(expr (setexpr y (binop * (name x) (float 2)))) (return (name y))");
    EXPECT_EQ(infer(m, "int32").functions[0].ret, T("float64"));
}

TEST(Infer, WhileBreakContinueElse) {
    auto m = kernel("n", "(assign (name i) (int 0)) "
                         "(while (cmp < (name i) (name n)) (block "
                         "  (augassign + (name i) (int 1)) "
                         "  (if (cmp == (name i) (int 5)) (block (break)) (block (continue)))) "
                         "(block (assign (name i) (unary neg (int 1))))) (return (name i))");
    TypedProgram p = infer(m, "int32");
    EXPECT_EQ(p.functions[0].ret, T("int64")); // i only ever holds Python ints
}

TEST(Infer, NoReturnMeansNone) {
    auto m = kernel("x", "(assign (name y) (name x)) (return)");
    EXPECT_EQ(infer(m, "float64").functions[0].ret, none_type());
    auto e = kernel("x", "(pass)");
    EXPECT_EQ(infer(e, "float64").functions[0].ret, none_type());
    EXPECT_EQ(infer(e, "float64", "void").functions[0].ret, none_type());
}

TEST(Infer, InfiniteLoopNeedsNoFinalReturn) {
    auto m = kernel("x", "(while (bool 1) (block (if (name x) (block (return (name x))) "
                         "(block))) (block))");
    EXPECT_EQ(infer(m, "float64").functions[0].ret, T("float64"));
    auto ie = kernel("x", "(if (name x) (block (return (int 1))) (block (return (int 2))))");
    EXPECT_EQ(infer(ie, "float64").functions[0].ret, T("int64"));
}

TEST(Infer, HelperSpecializedPerArgumentTypes) {
    auto m = kernel("x y", "(return (binop + (call @sq (name x)) (call @sq (name y))))",
                    "(func 2:0 sq (params (name v)) (block (return (binop * (name v) (name v)))))");
    TypedProgram p = infer(m, "float32, int64");
    ASSERT_EQ(p.functions.size(), 3u);
    EXPECT_EQ(p.functions[0].ret, T("float64"));
    const Node *c1 = find(body(p), NodeKind::Call);
    EXPECT_EQ(p.functions[c1->slot].params[0], T("float32"));
    EXPECT_EQ(p.functions[c1->slot].ret, T("float32"));
    EXPECT_EQ(p.functions[c1->slot].func->name, "sq");
    // The same types reuse one specialization.
    TypedProgram q = infer(m, "float32, float32");
    EXPECT_EQ(q.functions.size(), 2u);
    for (const auto &f : q.functions)
        expect_concrete(*f.func);
}

TEST(Infer, HelperWithLiteralArgumentIsWeak) {
    // scale(x, 2.0) with x float32 stays float32, like x * 2.0 would.
    auto m = kernel("x", "(return (call @scale (name x) (float 2)))",
                    "(func 2:0 scale (params (name a) (name b)) "
                    "(block (return (binop * (name a) (name b)))))");
    TypedProgram p = infer(m, "float32");
    EXPECT_EQ(p.functions[0].ret, T("float32"));
    ASSERT_EQ(p.functions.size(), 2u);
    EXPECT_EQ(p.functions[1].params[1], T("float64")); // passed as float64
    EXPECT_EQ(p.functions[1].ret, T("float32"));
    const Node *call = find(body(p), NodeKind::Call);
    EXPECT_EQ(call->kid(1)->type, T("float64"));
}

TEST(Infer, HelperReturningLiteralIsWeakForCaller) {
    auto m = kernel("x", "(return (binop * (name x) (call @two)))",
                    "(func 2:0 two (params) (block (return (float 2))))");
    TypedProgram p = infer(m, "float32");
    EXPECT_EQ(p.functions[0].ret, T("float32"));
    EXPECT_EQ(p.functions[1].ret, T("float64"));
    const Node &mul = ret_value(p);
    EXPECT_EQ(mul.kid(1)->kind, NodeKind::Cast);
    EXPECT_EQ(mul.kid(1)->kid(0)->type, T("float64"));
}

TEST(Infer, UnusedSpecializationsArePruned) {
    // In the first pass acc is an int literal; helper(acc) is specialized for it, then acc
    // widens to float32 and only the float32 specialization is called.
    auto m = kernel("x",
                    "(assign (name acc) (int 0)) "
                    "(for (name i) (call range (int 4)) (block "
                    "  (assign (name acc) (binop + (call @id (name acc)) (name x)))) "
                    "(block)) (return (name acc))",
                    "(func 2:0 id (params (name v)) (block (return (name v))))");
    TypedProgram p = infer(m, "float32");
    ASSERT_EQ(p.functions.size(), 2u);
    EXPECT_EQ(p.functions[1].params[0], T("float32"));
    EXPECT_EQ(find(body(p), NodeKind::Call, [](const Node &n) { return n.name == "@id"; })->slot,
              1);
}

TEST(Infer, NestedHelpers) {
    auto m = kernel("x", "(return (call @a (name x)))",
                    "(func 2:0 a (params (name v)) (block (return (call @b (name v) (int 1)))))"
                    "(func 3:0 b (params (name p) (name q)) (block (return (binop - (name p) "
                    "(name q)))))");
    TypedProgram p = infer(m, "uint8");
    ASSERT_EQ(p.functions.size(), 3u);
    EXPECT_EQ(p.functions[0].ret, T("uint8"));
    EXPECT_EQ(p.functions[1].func->name, "a");
    EXPECT_EQ(p.functions[2].func->name, "b");
}

TEST(Infer, NoneLocalsAndReturn) {
    auto m = kernel("x", "(assign (name n) (none)) (return (name n))");
    TypedProgram p = infer(m, "float64");
    EXPECT_EQ(p.functions[0].ret, none_type());
}

TEST(Infer, PrintedTypedIrShowsConcreteTypes) {
    auto m = kernel("x", "(return (binop + (name x) (int 1)))");
    std::string text = print_ir(*infer(m, "float32").functions[0].func, true);
    EXPECT_NE(text.find("(binop 0:0 :float32 +"), std::string::npos) << text;
    EXPECT_EQ(text.find("int*"), std::string::npos) << text;
}
