// Typing of the operations whose operands NumPy does not simply promote pairwise: comparisons of
// integers of mixed signedness and with Python ints (by value), and np.clip's three operands
// (promoted together; Python int bounds beyond the dtype ignored).
#include "typing_infer_helpers.h"

#include "typing/builtins.h"

using namespace lj;
using namespace lj::test;

namespace {

const Node &ret_value(const TypedProgram &p) {
    return *find(*p.functions[0].func->kid(1), NodeKind::Return)->kid(0);
}

// The types of a comparison's operands after inference, "lhs rhs".
std::string operand_types(const TypedProgram &p) {
    const Node *cmp = find(*p.functions[0].func, NodeKind::Compare);
    return type_name(cmp->kid(0)->type) + " " + type_name(cmp->kid(1)->type);
}

const Node *clip_call(const TypedProgram &p) {
    return find(*p.functions[0].func, NodeKind::Call, [](const Node &n) {
        return n.builtin == static_cast<int>(Builtin::Clip) && n.kids.size() == 3 &&
               n.kid(0)->kind != NodeKind::Cast;
    });
}

} // namespace

TEST(TypingCompare, SignedAgainstUInt64IsExact) {
    auto m = kernel("x y", "(return (cmp < (name x) (name y)))");
    // No type holds both: int64 and uint64 operands (not float64, which rounds).
    EXPECT_EQ(operand_types(infer(m, "int64, uint64")), "int64 uint64");
    EXPECT_EQ(operand_types(infer(m, "uint64, int64")), "uint64 int64");
    EXPECT_EQ(operand_types(infer(m, "int8, uint64")), "int64 uint64");
    EXPECT_EQ(operand_types(infer(m, "uint64, int32")), "uint64 int64");
    // A common type exists: compared in it.
    EXPECT_EQ(operand_types(infer(m, "int32, uint32")), "int64 int64");
    EXPECT_EQ(operand_types(infer(m, "uint8, int8")), "int16 int16");
    EXPECT_EQ(operand_types(infer(m, "int64, uint32")), "int64 int64");
    EXPECT_EQ(operand_types(infer(m, "uint64, uint8")), "uint64 uint64");
    EXPECT_EQ(operand_types(infer(m, "bool, uint64")), "uint64 uint64");
    EXPECT_EQ(operand_types(infer(m, "float32, int64")), "float64 float64");
    EXPECT_EQ(operand_types(infer(m, "float64, uint64")), "float64 float64");
    TypedProgram p = infer(m, "int64, uint64");
    EXPECT_EQ(p.functions[0].ret, T("bool"));
    expect_concrete(*p.functions[0].func);
}

TEST(TypingCompare, PythonIntsAreComparedByValue) {
    // n is a Python int known only at run time (int() returns one): int64 against any integer
    // dtype, never cast to it (-1 would become 255 as a uint8).
    auto m = kernel("x y", "(assign (name n) (binop - (call int (name x)) (int 1))) "
                           "(return (cmp < (name n) (name y)))");
    EXPECT_EQ(operand_types(infer(m, "float64, uint8")), "int64 int64");
    EXPECT_EQ(operand_types(infer(m, "float64, int8")), "int64 int64");
    EXPECT_EQ(operand_types(infer(m, "float64, uint32")), "int64 int64");
    EXPECT_EQ(operand_types(infer(m, "float64, uint64")), "int64 uint64");
    // Against floats and bools NEP 50 applies as before.
    EXPECT_EQ(operand_types(infer(m, "float64, float32")), "float32 float32");
    EXPECT_EQ(operand_types(infer(m, "float64, bool")), "int64 int64");
    auto r = kernel("x y", "(return (cmp >= (name y) (call int (name x))))");
    EXPECT_EQ(operand_types(infer(r, "float64, uint16")), "int64 int64");

    // Literals the dtype holds stay in the dtype (retyped in place); others compare as int64.
    auto lit = kernel("x", "(return (cmp == (name x) (int 5)))");
    TypedProgram p = infer(lit, "uint8");
    EXPECT_EQ(operand_types(p), "uint8 uint8");
    EXPECT_EQ(ret_value(p).kid(1)->kind, NodeKind::Int);
    auto neg = kernel("x", "(return (cmp < (unary neg (int 1)) (name x)))");
    EXPECT_EQ(operand_types(infer(neg, "uint32")), "int64 int64");
    EXPECT_EQ(operand_types(infer(neg, "uint64")), "int64 uint64");
    EXPECT_EQ(operand_types(infer(neg, "int8")), "int8 int8");
}

TEST(TypingClip, OperandsPromoteTogether) {
    // np.clip(bool, 7, int8) is int8 whatever the order: the dtypes first, then the literal.
    auto first = kernel("x y", "(return (call np.clip (name x) (int 7) (name y)))");
    auto last = kernel("x y", "(return (call np.clip (name y) (name x) (int 7)))");
    for (const auto *m : {&first, &last}) {
        EXPECT_EQ(infer(*m, "bool, int8").functions[0].ret, T("int8"));
        EXPECT_EQ(infer(*m, "bool, uint16").functions[0].ret, T("uint16"));
        EXPECT_EQ(infer(*m, "bool, float32").functions[0].ret, T("float32"));
        EXPECT_EQ(infer(*m, "uint8, int8").functions[0].ret, T("int16"));
        EXPECT_EQ(infer(*m, "bool, bool").functions[0].ret, T("int64"));
    }
    auto three = kernel("x y z", "(return (call np.clip (name x) (name y) (name z)))");
    EXPECT_EQ(infer(three, "int8, uint8, float16").functions[0].ret, T("float16"));
    EXPECT_EQ(infer(three, "float16, uint16, int16").functions[0].ret, T("float32"));
    // Python's min/max and np.where promote their operands the same way.
    auto mn = kernel("x y", "(return (call min (name x) (int 7) (name y)))");
    EXPECT_EQ(infer(mn, "bool, int8").functions[0].ret, T("int8"));
    // x itself becomes an array in NumPy: a Python int there is int64.
    auto lit_x = kernel("x", "(return (call np.clip (int 5) (name x) (int 300)))");
    EXPECT_EQ(infer(lit_x, "uint8").functions[0].ret, T("int64"));
}

TEST(TypingClip, PythonIntBoundsBeyondTheDtypeAreIgnored) {
    // np.clip(uint8, -1, 300) is valid NumPy 2: the bounds become the dtype's limits.
    auto m = kernel("x", "(return (call np.clip (name x) (unary neg (int 1)) (int 300)))");
    TypedProgram p = infer(m, "uint8");
    EXPECT_EQ(p.functions[0].ret, T("uint8"));
    const Node *clip = clip_call(p);
    ASSERT_NE(clip, nullptr);
    EXPECT_EQ(clip->kid(1)->ival, 0);
    EXPECT_EQ(clip->kid(2)->ival, 255);
    EXPECT_EQ(clip->kid(2)->type, T("uint8"));
    auto wide = kernel("x", "(return (call np.clip (name x) (unary neg (int 1000)) (int 1000)))");
    TypedProgram p8 = infer(wide, "int8");
    const Node *c8 = clip_call(p8);
    ASSERT_NE(c8, nullptr);
    EXPECT_EQ(c8->kid(1)->ival, -128);
    EXPECT_EQ(c8->kid(2)->ival, 127);
    EXPECT_EQ(infer(wide, "uint64").functions[0].ret, T("uint64"));
    // With another dtype among the operands, the result type is theirs together.
    auto mixed = kernel("x y", "(return (call np.clip (name x) (unary neg (int 1)) (name y)))");
    EXPECT_EQ(infer(mixed, "uint8, int8").functions[0].ret, T("int16"));

    // A bound beyond the limit on the other side is NumPy's OverflowError.
    auto bad = kernel("x", "(return (call np.clip (name x) (int 300) (int 400)))");
    try {
        infer(bad, "uint8");
        ADD_FAILURE() << "np.clip(uint8, 300, 400) compiled";
    } catch (const CompileError &e) {
        EXPECT_EQ(e.kind, ErrorKind::Typing);
        EXPECT_STREQ(e.what(), "Python integer 300 out of bounds for uint8");
    }
    // Floats and bools: bounds as they are.
    auto f = kernel("x", "(return (call np.clip (name x) (unary neg (int 1)) (int 300)))");
    TypedProgram pf = infer(f, "float32");
    const Node *cf = clip_call(pf);
    ASSERT_NE(cf, nullptr);
    EXPECT_EQ(cf->kid(1)->ival, -1);
    EXPECT_EQ(cf->kid(2)->ival, 300);
}

TEST(TypingClip, RunTimePythonIntBoundsAreClampedToTheDtype) {
    // np.clip(x, int(y) - 1, 300) on uint8: the bound is clamped to [0, 255] as an int64 (an
    // inner np.clip) before it becomes a uint8, and the result stays uint8.
    auto m = kernel("x y", "(return (call np.clip (name x) "
                           "(binop - (call int (name y)) (int 1)) (int 300)))");
    TypedProgram p = infer(m, "uint8, float64");
    EXPECT_EQ(p.functions[0].ret, T("uint8"));
    const Node *inner = find(*p.functions[0].func, NodeKind::Call, [](const Node &n) {
        return n.builtin == static_cast<int>(Builtin::Clip) && n.type == T("int64");
    });
    ASSERT_NE(inner, nullptr) << print_ir(*p.functions[0].func, true);
    EXPECT_EQ(inner->kid(1)->ival, 0);
    EXPECT_EQ(inner->kid(2)->ival, 255);
    for (const auto &k : inner->kids)
        EXPECT_EQ(k->type, T("int64"));
    expect_concrete(*p.functions[0].func);
}
