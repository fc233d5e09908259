// The elementwise loop nest against a plain C++ strided loop: contiguous, broadcast, negative and
// non-unit strides, in-place, partial overlap, reduce-style aliasing, empty and sub-ranges, bool,
// complex and integer element types, several outputs.
#include "jit_test_support.h"
#include "support/error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace lj {
namespace {

using test::Case;
using test::get;
using test::put;

const char *kAffine = R"(
define internal double @k(double %a, double %b) alwaysinline {
  %m = fmul double %a, %b
  %r = fsub double %m, %a
  ret double %r
}
)";
void affine_ref(char *const *p) {
    double a = get<double>(p[0]), b = get<double>(p[1]);
    double m = a * b;
    put<double>(p[2], m - a);
}

// A buffer of `n` doubles: distinct, exactly representable, no NaN.
std::vector<char> doubles(size_t n) {
    std::vector<char> buf(n * 8);
    for (size_t i = 0; i < n; ++i)
        put<double>(buf.data() + 8 * i, 0.25 * static_cast<double>(i % 97) - 3.0);
    return buf;
}

class AffineLoop : public testing::Test {
protected:
    static void SetUpTestSuite() {
        loop_ = new test::Loop(test::compile_loop(kAffine, "k", {Scalar::Float64, Scalar::Float64},
                                                  {Scalar::Float64}));
    }
    static void TearDownTestSuite() { delete loop_; }
    void check(const Case &c, size_t n = 4096) {
        test::expect_same_as_reference(*loop_, affine_ref, doubles(n), c);
    }
    static test::Loop *loop_;
};
test::Loop *AffineLoop::loop_ = nullptr;

// Operands a (in0), b (in1), out in separate regions of the buffer, 1000 doubles each.
constexpr int64_t A = 0, B = 8000, OUT = 16000;

TEST_F(AffineLoop, Contiguous) {
    check({"aligned", {A, B, OUT}, {8, 8, 8}, 0, 1000});
    check({"odd length", {A, B, OUT}, {8, 8, 8}, 0, 37});
    check({"one element", {A, B, OUT}, {8, 8, 8}, 0, 1});
    check({"unaligned", {A + 1, B + 3, OUT + 5}, {8, 8, 8}, 0, 999});
}

TEST_F(AffineLoop, ContiguousIsVectorizedWithoutAliasChecks) {
    EXPECT_NE(loop_->optimized_ir.find(" x double>"), std::string::npos);
    EXPECT_EQ(loop_->optimized_ir.find("vector.memcheck"), std::string::npos);
}

TEST_F(AffineLoop, SubRanges) {
    check({"middle", {A, B, OUT}, {8, 8, 8}, 3, 517});
    check({"tail", {A, B, OUT}, {8, 8, 8}, 990, 1000});
    check({"strided middle", {A, B, OUT}, {16, 8, 8}, 5, 400});
}

TEST_F(AffineLoop, EmptyRange) {
    check({"begin == end", {A, B, OUT}, {8, 8, 8}, 5, 5});
    check({"begin > end", {A, B, OUT}, {8, 8, 8}, 10, 5});
    check({"zero", {A, B, OUT}, {8, 8, 8}, 0, 0});
}

TEST_F(AffineLoop, Broadcast) {
    check({"scalar b", {A, B + 40, OUT}, {8, 0, 8}, 0, 1000});
    check({"scalar a", {A + 16, B, OUT}, {0, 8, 8}, 0, 1000});
    check({"scalar b, sub-range", {A, B, OUT}, {8, 0, 8}, 7, 300});
    check({"both scalar", {A, B, OUT}, {0, 0, 8}, 0, 100});
    check({"in-place with scalar", {A, B, A}, {8, 0, 8}, 0, 1000});
}

TEST_F(AffineLoop, BroadcastInputInsideOutput) {
    // The scalar operand is one of the elements being written: it changes mid-loop.
    check({"scalar b is out[5]", {A, OUT + 5 * 8, OUT}, {8, 0, 8}, 0, 1000});
    check({"scalar a is out[900]", {OUT + 900 * 8, B, OUT}, {0, 8, 8}, 0, 1000});
}

TEST_F(AffineLoop, NegativeAndNonUnitStrides) {
    check({"reversed a", {A + 999 * 8, B, OUT}, {-8, 8, 8}, 0, 1000});
    check({"reversed out", {A, B, OUT + 999 * 8}, {8, 8, -8}, 0, 1000});
    check({"all reversed", {A + 999 * 8, B + 999 * 8, OUT + 999 * 8}, {-8, -8, -8}, 0, 1000});
    check({"stride 3", {A, B, OUT}, {24, 8, 16}, 0, 300});
    check({"reversed stride 2", {A + 998 * 8, B, OUT}, {-16, 24, 8}, 0, 300});
}

TEST_F(AffineLoop, InPlace) {
    check({"out is a", {A, B, A}, {8, 8, 8}, 0, 1000});
    check({"out is b", {A, B, B}, {8, 8, 8}, 0, 1000});
    check({"a is b is out", {A, A, A}, {8, 8, 8}, 0, 1000});
    check({"out is a, sub-range", {A, B, A}, {8, 8, 8}, 13, 700});
}

TEST_F(AffineLoop, PartialOverlap) {
    // out[i] becomes a[i + 1]: each result feeds the next iteration.
    check({"out one behind a", {A + 8, B, A}, {8, 8, 8}, 0, 1000});
    check({"out one ahead of a", {A, B, A + 8}, {8, 8, 8}, 0, 1000});
    check({"out half an element off", {A, B, A + 4}, {8, 8, 8}, 0, 1000});
    check({"out far behind b", {A, B + 64 * 8, B}, {8, 8, 8}, 0, 1000});
    check({"out reversed over a", {A, B, A + 999 * 8}, {8, 8, -8}, 0, 1000});
}

TEST_F(AffineLoop, ReduceStyleAliasing) {
    // NumPy's reduce: out and a are the same scalar (step 0), b runs over the array.
    check({"reduce", {OUT, B, OUT}, {0, 8, 0}, 0, 1000});
    check({"reduce, sub-range", {OUT, B, OUT}, {0, 8, 0}, 100, 200});
    // accumulate: a is out shifted back by one element.
    check({"accumulate", {OUT, B + 8, OUT + 8}, {8, 8, 8}, 0, 999});
}

TEST(JitElementwise, ThreeInputsBroadcastEachInput) {
    const char *ir = R"(
define internal double @k(double %a, double %b, double %c) alwaysinline {
  %m = fmul double %a, %b
  %r = fadd double %m, %c
  ret double %r
}
)";
    auto ref = [](char *const *p) {
        double m = get<double>(p[0]) * get<double>(p[1]);
        put<double>(p[3], m + get<double>(p[2]));
    };
    auto loop = test::compile_loop(ir, "k", {Scalar::Float64, Scalar::Float64, Scalar::Float64},
                                   {Scalar::Float64});
    auto buf = doubles(5000);
    const int64_t a = 0, b = 8000, c = 16000, out = 24000;
    test::expect_same_as_reference(loop, ref, buf,
                                   {"contiguous", {a, b, c, out}, {8, 8, 8, 8}, 0, 999});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"scalar a", {a, b, c, out}, {0, 8, 8, 8}, 0, 999});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"scalar b", {a, b, c, out}, {8, 0, 8, 8}, 0, 999});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"scalar c", {a, b, c, out}, {8, 8, 0, 8}, 1, 998});
    test::expect_same_as_reference(
        loop, ref, buf, {"scalar c in out", {a, b, out + 80, out}, {8, 8, 0, 8}, 0, 999});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"strided", {a + 7992, b, c, out}, {-8, 16, 8, 8}, 0, 400});
}

TEST(JitElementwise, OneInput) {
    const char *ir = R"(
define internal float @k(float %a) alwaysinline {
  %m = fmul float %a, %a
  %r = fadd float %m, 1.000000e+00
  ret float %r
}
)";
    auto ref = [](char *const *p) {
        float a = get<float>(p[0]);
        float m = a * a;
        put<float>(p[1], m + 1.0f);
    };
    auto loop = test::compile_loop(ir, "k", {Scalar::Float32}, {Scalar::Float32});
    std::vector<char> buf(16000);
    for (size_t i = 0; i < buf.size() / 4; ++i)
        put<float>(buf.data() + 4 * i, 0.125f * static_cast<float>(i % 53) - 3.0f);
    const int64_t a = 0, out = 8000;
    test::expect_same_as_reference(loop, ref, buf, {"contiguous", {a, out}, {4, 4}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf, {"scalar input", {a + 12, out}, {0, 4}, 0, 999});
    test::expect_same_as_reference(loop, ref, buf, {"in place", {a, a}, {4, 4}, 3, 1000});
    test::expect_same_as_reference(loop, ref, buf, {"reversed", {a + 3996, out}, {-4, 4}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"scalar in output", {out + 40, out}, {0, 4}, 0, 999});
}

TEST(JitElementwise, FourInputsWithTwoBroadcast) {
    const char *ir = R"(
define internal double @k(double %a, double %b, double %c, double %d) alwaysinline {
  %ab = fmul double %a, %b
  %cd = fmul double %c, %d
  %r = fsub double %ab, %cd
  ret double %r
}
)";
    auto ref = [](char *const *p) {
        double ab = get<double>(p[0]) * get<double>(p[1]);
        double cd = get<double>(p[2]) * get<double>(p[3]);
        put<double>(p[4], ab - cd);
    };
    auto loop = test::compile_loop(
        ir, "k", {Scalar::Float64, Scalar::Float64, Scalar::Float64, Scalar::Float64},
        {Scalar::Float64});
    auto buf = doubles(5000);
    const int64_t a = 0, b = 8000, c = 16000, d = 24000, out = 32000;
    test::expect_same_as_reference(loop, ref, buf,
                                   {"contiguous", {a, b, c, d, out}, {8, 8, 8, 8, 8}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"b and d scalar", {a, b, c, d, out}, {8, 0, 8, 0, 8}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"all scalar", {a, b, c, d, out}, {0, 0, 0, 0, 8}, 5, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"one strided", {a, b, c, d, out}, {8, 0, 16, 0, 8}, 0, 400});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"in place over c", {a, b, c, d, c}, {8, 0, 8, 0, 8}, 0, 1000});
}

TEST(JitElementwise, Int32WithNegativeStrides) {
    const char *ir = R"(
define internal i32 @k(i32 %a, i32 %b) alwaysinline {
  %t = shl i32 %b, 1
  %r = add i32 %a, %t
  ret i32 %r
}
)";
    auto ref = [](char *const *p) {
        uint32_t a = get<uint32_t>(p[0]), b = get<uint32_t>(p[1]);
        put<uint32_t>(p[2], a + 2 * b);
    };
    auto loop = test::compile_loop(ir, "k", {Scalar::Int32, Scalar::Int32}, {Scalar::Int32});
    std::vector<char> buf(12000);
    for (size_t i = 0; i < buf.size(); ++i)
        buf[i] = static_cast<char>(i * 7 + 3);
    test::expect_same_as_reference(loop, ref, buf,
                                   {"contiguous", {0, 4000, 8000}, {4, 4, 4}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"reversed", {3996, 4000, 8000}, {-4, 4, 4}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"reversed out", {0, 4000, 11996}, {4, 4, -4}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf, {"reduce", {8000, 0, 8000}, {0, 4, 0}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf, {"overlap", {0, 4000, 4}, {4, 4, 4}, 0, 999});
}

TEST(JitElementwise, MixedIntegerWidths) {
    // int16, uint8 -> float32: operands of different itemsizes over the same bytes.
    const char *ir = R"(
define internal float @k(i16 %a, i8 %b) alwaysinline {
  %fa = sitofp i16 %a to float
  %fb = uitofp i8 %b to float
  %r = fsub float %fa, %fb
  ret float %r
}
)";
    auto ref = [](char *const *p) {
        float fa = static_cast<float>(get<int16_t>(p[0]));
        float fb = static_cast<float>(get<uint8_t>(p[1]));
        put<float>(p[2], fa - fb);
    };
    auto loop = test::compile_loop(ir, "k", {Scalar::Int16, Scalar::UInt8}, {Scalar::Float32});
    std::vector<char> buf(12000);
    for (size_t i = 0; i < buf.size(); ++i)
        buf[i] = static_cast<char>(i * 13 + 1);
    test::expect_same_as_reference(loop, ref, buf,
                                   {"contiguous", {0, 4000, 6000}, {2, 1, 4}, 0, 1000});
    // Output over input a, same base but 4-byte elements over 2-byte ones: not in-place.
    test::expect_same_as_reference(loop, ref, buf,
                                   {"wider out over a", {0, 4000, 0}, {2, 1, 4}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"scalar b", {0, 4000, 6000}, {2, 0, 4}, 0, 1000});
}

TEST(JitElementwise, BoolInputsAndOutput) {
    const char *ir = R"(
define internal i1 @k(i1 %a, i1 %b) alwaysinline {
  %r = xor i1 %a, %b
  ret i1 %r
}
)";
    auto ref = [](char *const *p) {
        bool a = get<uint8_t>(p[0]) != 0, b = get<uint8_t>(p[1]) != 0;
        put<uint8_t>(p[2], static_cast<uint8_t>(a != b));
    };
    auto loop = test::compile_loop(ir, "k", {Scalar::Bool, Scalar::Bool}, {Scalar::Bool});
    std::vector<char> buf(3000);
    for (size_t i = 0; i < buf.size(); ++i)
        buf[i] = static_cast<char>((i * 2654435761u >> 7) & 1);
    test::expect_same_as_reference(loop, ref, buf,
                                   {"contiguous", {0, 1000, 2000}, {1, 1, 1}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"scalar a", {5, 1000, 2000}, {0, 1, 1}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf, {"in-place", {0, 1000, 0}, {1, 1, 1}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf, {"reduce", {2000, 0, 2000}, {0, 1, 0}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"strided", {999, 1000, 2000}, {-1, 3, 2}, 0, 300});
}

TEST(JitElementwise, ComparisonToBool) {
    const char *ir = R"(
define internal i1 @k(double %a, double %b) alwaysinline {
  %r = fcmp olt double %a, %b
  ret i1 %r
}
)";
    auto ref = [](char *const *p) {
        put<uint8_t>(p[2], get<double>(p[0]) < get<double>(p[1]) ? 1 : 0);
    };
    auto loop = test::compile_loop(ir, "k", {Scalar::Float64, Scalar::Float64}, {Scalar::Bool});
    auto buf = doubles(3000);
    test::expect_same_as_reference(loop, ref, buf,
                                   {"contiguous", {0, 8000 + 24, 20000}, {8, 8, 1}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"scalar b", {0, 8000, 20000}, {8, 0, 1}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"out inside a", {0, 8000, 16}, {8, 8, 1}, 0, 1000});
}

TEST(JitElementwise, Complex128) {
    const char *ir = R"(
define internal { double, double } @k({ double, double } %a, { double, double } %b) alwaysinline {
  %ar = extractvalue { double, double } %a, 0
  %ai = extractvalue { double, double } %a, 1
  %br = extractvalue { double, double } %b, 0
  %bi = extractvalue { double, double } %b, 1
  %rr1 = fmul double %ar, %br
  %rr2 = fmul double %ai, %bi
  %rr = fsub double %rr1, %rr2
  %ri1 = fmul double %ar, %bi
  %ri2 = fmul double %ai, %br
  %ri = fadd double %ri1, %ri2
  %z0 = insertvalue { double, double } poison, double %rr, 0
  %z = insertvalue { double, double } %z0, double %ri, 1
  ret { double, double } %z
}
)";
    auto ref = [](char *const *p) {
        double ar = get<double>(p[0]), ai = get<double>(p[0] + 8);
        double br = get<double>(p[1]), bi = get<double>(p[1] + 8);
        double rr1 = ar * br, rr2 = ai * bi, ri1 = ar * bi, ri2 = ai * br;
        put<double>(p[2], rr1 - rr2);
        put<double>(p[2] + 8, ri1 + ri2);
    };
    auto loop =
        test::compile_loop(ir, "k", {Scalar::Complex128, Scalar::Complex128}, {Scalar::Complex128});
    auto buf = doubles(6000);
    test::expect_same_as_reference(loop, ref, buf,
                                   {"contiguous", {0, 16000, 32000}, {16, 16, 16}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"unaligned", {3, 16001, 32007}, {16, 16, 16}, 0, 999});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"in-place", {0, 16000, 0}, {16, 16, 16}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"scalar b", {0, 16000, 32000}, {16, 0, 16}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"overlap by a part", {0, 16000, 8}, {16, 16, 16}, 0, 999});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"reduce", {32000, 0, 32000}, {0, 16, 0}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"reversed", {15984, 16000, 32000}, {-16, 32, 16}, 0, 500});
}

TEST(JitElementwise, Complex64ToFloat32) {
    const char *ir = R"(
define internal float @k({ float, float } %z) alwaysinline {
  %re = extractvalue { float, float } %z, 0
  %im = extractvalue { float, float } %z, 1
  %a = fmul float %re, %re
  %b = fmul float %im, %im
  %r = fadd float %a, %b
  ret float %r
}
)";
    auto ref = [](char *const *p) {
        float re = get<float>(p[0]), im = get<float>(p[0] + 4);
        float a = re * re, b = im * im;
        put<float>(p[1], a + b);
    };
    auto loop = test::compile_loop(ir, "k", {Scalar::Complex64}, {Scalar::Float32});
    std::vector<char> buf(16000);
    for (size_t i = 0; i < buf.size() / 4; ++i)
        put<float>(buf.data() + 4 * i, 0.5f * static_cast<float>(i % 41) - 7.0f);
    test::expect_same_as_reference(loop, ref, buf, {"contiguous", {0, 8000}, {8, 4}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"out over the real parts", {0, 0}, {8, 4}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf, {"strided", {0, 8000}, {24, -4}, 0, 300});
}

TEST(JitElementwise, TwoOutputs) {
    // divmod on int64 (b is never zero in the data): a struct of two outputs.
    const char *ir = R"(
define internal { i64, i64 } @k(i64 %a, i64 %b) alwaysinline {
  %q = sdiv i64 %a, %b
  %r = srem i64 %a, %b
  %s0 = insertvalue { i64, i64 } poison, i64 %q, 0
  %s = insertvalue { i64, i64 } %s0, i64 %r, 1
  ret { i64, i64 } %s
}
)";
    auto ref = [](char *const *p) {
        int64_t a = get<int64_t>(p[0]), b = get<int64_t>(p[1]);
        put<int64_t>(p[2], a / b);
        put<int64_t>(p[3], a % b);
    };
    auto loop =
        test::compile_loop(ir, "k", {Scalar::Int64, Scalar::Int64}, {Scalar::Int64, Scalar::Int64});
    std::vector<char> buf(40000);
    for (size_t i = 0; i < buf.size() / 8; ++i) {
        int64_t v = static_cast<int64_t>(i * 37 % 101) - 50;
        put<int64_t>(buf.data() + 8 * i, v == 0 ? 7 : v);
    }
    const int64_t a = 0, b = 8000, q = 16000, r = 24000;
    test::expect_same_as_reference(loop, ref, buf,
                                   {"contiguous", {a, b, q, r}, {8, 8, 8, 8}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"outputs in place", {a, b, a, b}, {8, 8, 8, 8}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"outputs the same", {a, b, q, q}, {8, 8, 8, 8}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"outputs overlapping", {a, b, q, q + 8}, {8, 8, 8, 8}, 0, 999});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"scalar b", {a, b + 16, q, r}, {8, 0, 8, 8}, 0, 1000});
    test::expect_same_as_reference(loop, ref, buf,
                                   {"strided", {a + 7992, b, q, r}, {-8, 8, 16, 8}, 0, 400});
}

// The float16 value of IEEE half-precision bits, exactly.
float half_to_float(uint16_t h) {
    const int exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    const float sign = (h & 0x8000) ? -1.0f : 1.0f;
    if (exponent == 0x1F)
        return mantissa ? std::numeric_limits<float>::quiet_NaN()
                        : sign * std::numeric_limits<float>::infinity();
    if (exponent == 0)
        return sign * std::ldexp(static_cast<float>(mantissa), -24);
    return sign * std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
}

// LLVM 19 swaps the operands of a masked float16 vector compare it commutes to fold a reload,
// keeping the predicate (llvm/llvm-project#159723): `0 < x < 10` went wrong in vectorized loops on
// CPUs with AVX512-FP16 until Target::host() turned the feature off. Here the upper bound comes
// out of a call (exp(ln 10) rounds to 10 in float16), which spills x, so the second compare is
// masked by the first and reads x back from the stack.
TEST(JitElementwise, Float16ChainedCompareAroundTheBounds) {
    const char *ir = R"(
declare float @expf(float)
define internal i1 @k(half %x, float %y) alwaysinline {
  %above = fcmp olt half 0xH0000, %x
  %e = call float @expf(float %y)
  %limit = fptrunc float %e to half
  %below = fcmp ogt half %limit, %x
  %r = select i1 %above, i1 %below, i1 false
  ret i1 %r
}
)";
    auto loop = test::compile_loop(ir, "k", {Scalar::Float16, Scalar::Float32}, {Scalar::Bool});
    // Every float16 value from -16 to 16 (both signs of zero, the neighbours of 0 and 10),
    // then infinities and NaN.
    std::vector<uint16_t> x;
    for (uint32_t bits = 0; bits <= 0x4C00; ++bits) { // 0x4C00 = 16.0
        x.push_back(static_cast<uint16_t>(bits));
        x.push_back(static_cast<uint16_t>(bits | 0x8000));
    }
    for (uint16_t special : {0x7C00, 0xFC00, 0x7E00, 0xFE00})
        x.push_back(special);
    std::vector<float> y(x.size(), 2.302585f); // ln 10
    std::vector<uint8_t> out(x.size(), 2);
    const auto n = static_cast<int64_t>(x.size());
    test::run_chunk(loop.chunk, 0, n,
                    {reinterpret_cast<char *>(x.data()), reinterpret_cast<char *>(y.data()),
                     reinterpret_cast<char *>(out.data())},
                    {2, 4, 1});
    int64_t wrong = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const float v = half_to_float(x[i]);
        wrong += out[i] != ((0.0f < v && v < 10.0f) ? 1 : 0);
    }
    EXPECT_EQ(wrong, 0) << "of " << n << " values";
}

// The run-time choice of path, on its own: which calls the fast path takes.
TEST(JitElementwise, FastPathDecision) {
    std::vector<char> buf(64000);
    char *b = buf.data();
    auto fast = [&](std::vector<int64_t> layout, std::vector<int64_t> offsets,
                    std::vector<int64_t> steps, int64_t begin, int64_t end) {
        std::vector<char *> data;
        for (int64_t off : offsets)
            data.push_back(b + off);
        int64_t dims[1] = {end};
        LoopArgs args{data.data(), dims, steps.data(), nullptr};
        return elementwise_fast_path(begin, end, &args, layout.data());
    };
    const std::vector<int64_t> binary{2, 1, 8, 8, 8}, unary{1, 1, 8, 8};
    EXPECT_EQ(fast(binary, {0, 8000, 16000}, {8, 8, 8}, 0, 1000), 1) << "contiguous";
    EXPECT_EQ(fast(binary, {0, 8000, 16000}, {8, 0, 8}, 0, 1000), 1) << "scalar b";
    EXPECT_EQ(fast(binary, {0, 8000, 16000}, {0, 0, 8}, 0, 1000), 1) << "both scalar";
    EXPECT_EQ(fast(binary, {0, 8000, 0}, {8, 8, 8}, 0, 1000), 1) << "in place";
    EXPECT_EQ(fast(binary, {0, 8000, 8008}, {8, 8, 8}, 0, 1000), 0) << "out one ahead of b";
    EXPECT_EQ(fast(binary, {0, 8000, 16000}, {8, 8, -8}, 0, 1000), 0) << "reversed out";
    EXPECT_EQ(fast(binary, {0, 8000, 16000}, {16, 8, 8}, 0, 1000), 0) << "strided a";
    EXPECT_EQ(fast(binary, {16000, 8000, 16000}, {0, 8, 0}, 0, 1000), 0) << "reduce";
    EXPECT_EQ(fast(binary, {0, 16040, 16000}, {8, 0, 8}, 0, 1000), 0) << "scalar b in out";
    // Only the elements in [begin, end) count: out ends where b's sub-range begins.
    EXPECT_EQ(fast(binary, {0, 8000, 7200}, {8, 8, 8}, 0, 100), 1) << "disjoint sub-ranges";
    EXPECT_EQ(fast(unary, {0, 8000}, {8, 8}, 0, 1000), 1) << "unary";
    EXPECT_EQ(fast(unary, {0, 8000}, {0, 8}, 0, 1000), 0) << "unary scalar input";
    // Two outputs: each against the inputs and against the other output.
    const std::vector<int64_t> two_out{1, 2, 8, 8, 8};
    EXPECT_EQ(fast(two_out, {0, 8000, 16000}, {8, 8, 8}, 0, 1000), 1) << "two outputs";
    EXPECT_EQ(fast(two_out, {0, 8000, 8000}, {8, 8, 8}, 0, 1000), 1) << "same output twice";
    EXPECT_EQ(fast(two_out, {0, 8000, 8008}, {8, 8, 8}, 0, 1000), 0) << "outputs overlap";
    // Different itemsizes over the same bytes are never in place.
    const std::vector<int64_t> widen{1, 1, 4, 8};
    EXPECT_EQ(fast(widen, {0, 0}, {4, 8}, 0, 1000), 0) << "wider output over input";
}

TEST(JitElementwise, KernelTypeMismatchIsInternalError) {
    auto hm = test::parse_host_module(kAffine);
    EXPECT_THROW(build_elementwise_loop(*hm.m, hm.m->getFunction("k"),
                                        {Scalar::Float32, Scalar::Float64}, {Scalar::Float64},
                                        "loop"),
                 CompileError);
    EXPECT_THROW(build_elementwise_loop(*hm.m, hm.m->getFunction("k"),
                                        {Scalar::Float64, Scalar::Float64},
                                        {Scalar::Float64, Scalar::Float64}, "loop2"),
                 CompileError);
}

} // namespace
} // namespace lj
