// Control flow, locals, tuples and calls in compiled kernels, run unoptimized and at O3.
#include "codegen_helpers.h"

using namespace lj;
using namespace lj::test;

namespace {

// sum of i for i in range(<args>), and the number of iterations, as a tuple. The parameters
// (space-separated names) are int64.
Kernel range_sum(const std::string &args, const std::string &params) {
    std::string types = "int64";
    for (char ch : params)
        if (ch == ' ')
            types += ", int64";
    return Kernel(
        kernel(params, "(assign (name s) (int 0)) (assign (name c) (int 0)) "
                       "(for (name i) (call range " +
                           args +
                           ") (block "
                           "  (augassign + (name s) (name i)) (augassign + (name c) (int 1)))"
                           " (block)) (return (tuple (name s) (name c)))"),
        types);
}

std::pair<int64_t, int64_t> sum_count(const std::array<Slot, 4> &r) {
    return {from_slot<int64_t>(r[0]), from_slot<int64_t>(r[1])};
}

std::pair<int64_t, int64_t> python_range(int64_t start, int64_t stop, int64_t step) {
    int64_t s = 0, c = 0;
    if (step > 0)
        for (int64_t i = start; i < stop; i += step)
            s += i, ++c;
    else if (step < 0)
        for (int64_t i = start; i > stop; i += step)
            s += i, ++c;
    return {s, c};
}

} // namespace

TEST(CodegenControl, RangeWithRuntimeArguments) {
    Kernel r = range_sum("(name lo) (name hi) (name st)", "lo hi st");
    int64_t cases[][3] = {{0, 10, 1},  {0, 10, 3},  {10, 0, -1}, {10, 0, -3},
                          {0, 10, -1}, {10, 0, 1},  {5, 5, 1},   {0, 10, 0},
                          {-5, 5, 2},  {7, -8, -5}, {0, 1, 100}, {0, -1, -100}};
    for (auto &c : cases)
        EXPECT_EQ(sum_count(r.run(c[0], c[1], c[2])), python_range(c[0], c[1], c[2]))
            << "range(" << c[0] << ", " << c[1] << ", " << c[2] << ")";
    // Extreme bounds: no overflow in the trip count.
    auto big = sum_count(r.run(INT64_MAX - 2, INT64_MAX, int64_t(1)));
    EXPECT_EQ(big.second, 2);
    auto wide = sum_count(r.run(INT64_MIN, INT64_MAX, INT64_MAX));
    EXPECT_EQ(wide.second, 3);
    auto down = sum_count(r.run(INT64_MAX, INT64_MIN, INT64_MIN));
    EXPECT_EQ(down.second, 2);
}

TEST(CodegenControl, RangeWithConstantSteps) {
    Kernel one = range_sum("(name n)", "n");
    EXPECT_EQ(sum_count(one.run(int64_t(5))), python_range(0, 5, 1));
    EXPECT_EQ(sum_count(one.run(int64_t(-5))), python_range(0, -5, 1));
    Kernel neg = range_sum("(name n) (int 0) (unary neg (int 2))", "n");
    EXPECT_EQ(sum_count(neg.run(int64_t(9))), python_range(9, 0, -2));
    Kernel zero = range_sum("(int 0) (name n) (int 0)", "n");
    EXPECT_EQ(sum_count(zero.run(int64_t(9))), python_range(0, 9, 0));
    Kernel i8(kernel("n", "(assign (name s) (int 0)) (for (name i) (call range (name n)) "
                          "(block (augassign + (name s) (name i))) (block)) (return (name s))"),
              "int8");
    EXPECT_EQ(i8.call<int64_t>(int8_t(10)), 45);
}

TEST(CodegenControl, LoopTargetAfterLoopAndReassignedInBody) {
    // for i in range(n): i = i * 10   ; return i   -> Python: last i * 10; iteration unaffected
    Kernel k(kernel("n", "(assign (name i) (unary neg (int 1))) "
                         "(for (name i) (call range (name n)) (block "
                         "  (assign (name i) (binop * (name i) (int 10)))) (block)) "
                         "(return (name i))"),
             "int64");
    EXPECT_EQ(k.call<int64_t>(int64_t(4)), 30);
    EXPECT_EQ(k.call<int64_t>(int64_t(0)), -1);
}

TEST(CodegenControl, BreakContinueAndElse) {
    // for i in range(n): if i == 3: continue ; if i == stop: break ; s += i
    // else: s += 1000
    Kernel k(kernel("n stop", "(assign (name s) (int 0)) "
                              "(for (name i) (call range (name n)) (block "
                              "  (if (cmp == (name i) (int 3)) (block (continue)) (block)) "
                              "  (if (cmp == (name i) (name stop)) (block (break)) (block)) "
                              "  (augassign + (name s) (name i))) "
                              "(block (augassign + (name s) (int 1000)))) (return (name s))"),
             "int64, int64");
    EXPECT_EQ(k.call<int64_t>(int64_t(6), int64_t(-1)), 0 + 1 + 2 + 4 + 5 + 1000);
    EXPECT_EQ(k.call<int64_t>(int64_t(6), int64_t(5)), 0 + 1 + 2 + 4);
    EXPECT_EQ(k.call<int64_t>(int64_t(0), int64_t(5)), 1000);
}

TEST(CodegenControl, WhileWithElseAndBreak) {
    // i = 0; while i < n: i += 1; if i == 7: break  else: i = -i ; return i
    Kernel k(kernel("n", "(assign (name i) (int 0)) "
                         "(while (cmp < (name i) (name n)) (block (augassign + (name i) (int 1)) "
                         "  (if (cmp == (name i) (int 7)) (block (break)) (block))) "
                         "(block (assign (name i) (unary neg (name i))))) (return (name i))"),
             "int32");
    EXPECT_EQ(k.call<int64_t>(int32_t(5)), -5);
    EXPECT_EQ(k.call<int64_t>(int32_t(10)), 7);
}

TEST(CodegenControl, WhileTrueWithReturn) {
    // while True: x = x * 2 ; if x > 100: return x
    Kernel k(kernel("x", "(while (bool 1) (block (assign (name x) (binop * (name x) (int 2))) "
                         "(if (cmp > (name x) (int 100)) (block (return (name x))) (block))) "
                         "(block))"),
             "int64");
    EXPECT_EQ(k.call<int64_t>(int64_t(3)), 192);
}

TEST(CodegenControl, IfElifElseAndEarlyReturns) {
    Kernel k(kernel("x", "(if (cmp < (name x) (int 0)) (block (return (unary neg (int 1)))) "
                         "(block (if (cmp == (name x) (int 0)) (block (return (int 0))) "
                         "(block (return (float 1.5))))))"),
             "int64");
    EXPECT_EQ(k.call<double>(int64_t(-4)), -1.0);
    EXPECT_EQ(k.call<double>(int64_t(0)), 0.0);
    EXPECT_EQ(k.call<double>(int64_t(4)), 1.5);
}

TEST(CodegenControl, SwapEvaluatesRightSideFirst) {
    Kernel k(kernel("x y", "(assign (tuple (name a) (name b)) (tuple (name x) (name y))) "
                           "(assign (tuple (name a) (name b)) (tuple (name b) (name a))) "
                           "(return (binop - (binop * (name a) (int 10)) (name b)))"),
             "int64, int64");
    EXPECT_EQ(k.call<int64_t>(int64_t(1), int64_t(2)), 2 * 10 - 1);
    // Fibonacci with a, b = b, a + b
    Kernel fib(kernel("n", "(assign (tuple (name a) (name b)) (tuple (int 0) (int 1))) "
                           "(for (name i) (call range (name n)) (block "
                           "  (assign (tuple (name a) (name b)) (tuple (name b) "
                           "(binop + (name a) (name b))))) (block)) (return (name a))"),
               "int64");
    EXPECT_EQ(fib.call<int64_t>(int64_t(10)), 55);
}

TEST(CodegenControl, AndOrReturnValues) {
    Kernel o(kernel("a b", "(return (or (name a) (name b)))"), "float64, float64");
    EXPECT_EQ(o.call<double>(0.0, 2.5), 2.5);
    EXPECT_EQ(o.call<double>(1.5, 2.5), 1.5);
    Kernel a(kernel("a b", "(return (and (name a) (name b)))"), "int64, float64");
    EXPECT_EQ(a.call<double>(int64_t(0), 2.5), 0.0);
    EXPECT_EQ(a.call<double>(int64_t(3), 2.5), 2.5);
    Kernel nan_truthy(kernel("a b", "(return (or (name a) (name b)))"), "float64, float64");
    EXPECT_TRUE(std::isnan(nan_truthy.call<double>(std::nan(""), 1.0)));
}

TEST(CodegenControl, ShortCircuitSkipsSideEffects) {
    // t = 0; r = x or (t := 5); return r * 100 + t
    Kernel k(kernel("x", "(assign (name t) (int 0)) "
                         "(assign (name r) (or (name x) (setexpr t (int 5)))) "
                         "(return (binop + (binop * (name r) (int 100)) (name t)))"),
             "int64");
    EXPECT_EQ(k.call<int64_t>(int64_t(2)), 200);
    EXPECT_EQ(k.call<int64_t>(int64_t(0)), 505);
}

TEST(CodegenControl, ConditionalExpression) {
    Kernel k(kernel("x", "(return (ifexp (cmp > (name x) (int 0)) (name x) "
                         "(binop * (name x) (float 0.5))))"),
             "float32");
    EXPECT_EQ(k.call<float>(2.0f), 2.0f);
    EXPECT_EQ(k.call<float>(-2.0f), -1.0f);
    // A helper call in an arm runs only when chosen (it would loop forever for x <= 0).
    Kernel h(kernel("x",
                    "(return (ifexp (cmp > (name x) (int 0)) (call @halve (name x)) "
                    "(int 0)))",
                    "(func 2:0 halve (params (name v)) (block (assign (name c) (int 0)) "
                    "(while (cmp != (name v) (int 0)) (block (assign (name v) "
                    "(binop // (name v) (int 2))) (augassign + (name c) (int 1))) (block)) "
                    "(return (name c))))"),
             "int64");
    EXPECT_EQ(h.call<int64_t>(int64_t(8)), 4);
    EXPECT_EQ(h.call<int64_t>(int64_t(-8)), 0);
}

TEST(CodegenControl, ChainedComparison) {
    // 0 < x < 1 lowered with a walrus temporary
    Kernel k(kernel("x", "(return (and (cmp < (int 0) (setexpr $t (name x))) "
                         "(cmp < (name $t) (int 1))))"),
             "float64");
    EXPECT_TRUE(k.call<bool>(0.5));
    EXPECT_FALSE(k.call<bool>(1.5));
    EXPECT_FALSE(k.call<bool>(-0.5));
}

TEST(CodegenControl, TuplesAndHelpers) {
    auto m = kernel("x y",
                    "(assign (name t) (call @divmod2 (name x) (name y))) "
                    "(return (tuple (getitem (name t) (int 1)) "
                    "(getitem (name t) (unary neg (int 2)))))",
                    "(func 2:0 divmod2 (params (name a) (name b)) (block "
                    "(return (tuple (binop // (name a) (name b)) (binop % (name a) "
                    "(name b))))))");
    Kernel k(m, "int64, int64");
    auto r = k.run(int64_t(-7), int64_t(2));
    EXPECT_EQ(from_slot<int64_t>(r[0]), 1);
    EXPECT_EQ(from_slot<int64_t>(r[1]), -4);
    Kernel declared(kernel("x", "(return (tuple (name x) (binop * (name x) (int 2))))"), "int32",
                    "UniTuple(float32, 2)");
    auto d = declared.run(int32_t(3));
    EXPECT_EQ(from_slot<float>(d[0]), 3.0f);
    EXPECT_EQ(from_slot<float>(d[1]), 6.0f);
}

TEST(CodegenControl, WidenedLocalsAndParams) {
    // s = 0; for i in range(n): s += x   (s: float32)
    Kernel k(kernel("x n", "(assign (name s) (int 0)) (for (name i) (call range (name n)) "
                           "(block (augassign + (name s) (name x))) (block)) (return (name s))"),
             "float32, int64");
    EXPECT_EQ(k.call<float>(0.5f, int64_t(4)), 2.0f);
    Kernel p(kernel("x", "(assign (name x) (binop / (name x) (int 2))) (return (name x))"),
             "int64");
    EXPECT_EQ(p.call<double>(int64_t(5)), 2.5);
}

TEST(CodegenControl, HelperWithWeakArgumentsAndNoneReturn) {
    auto m = kernel("x", "(expr (call @nothing (name x))) (return (call @scale (name x) (int 3)))",
                    "(func 2:0 scale (params (name a) (name b)) (block (return (binop * "
                    "(name a) (name b)))))"
                    "(func 3:0 nothing (params (name a)) (block (pass)))");
    Kernel k(m, "float32");
    EXPECT_EQ(k.call<float>(1.5f), 4.5f);
}
