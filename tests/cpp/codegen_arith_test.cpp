// Numeric semantics of compiled kernels (docs/semantics.md), run unoptimized and at O3. Expected
// values for floats and complex numbers were computed with NumPy 2.5.
#include "codegen_helpers.h"

#include <cmath>
#include <limits>

using namespace lj;
using namespace lj::test;

namespace {

NodePtr binop(const std::string &op) {
    bool cmp = op == "<" || op == "<=" || op == ">" || op == ">=" || op == "==" || op == "!=";
    return kernel("a b", std::string("(return (") + (cmp ? "cmp " : "binop ") + op +
                             " (name a) (name b)))");
}

bool same_double(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

#define EXPECT_SAME(a, b) EXPECT_PRED2(same_double, a, b)

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::nan("");

} // namespace

TEST(CodegenArith, IntegerFloorDivAndModulo) {
    Kernel fd(binop("//"), "int64, int64"), md(binop("%"), "int64, int64");
    struct {
        int64_t a, b, q, r;
    } cases[] = {
        {7, 2, 3, 1},         {-7, 2, -4, 1},
        {7, -2, -4, -1},      {-7, -2, 3, -1},
        {7, 0, 0, 0},         {0, 5, 0, 0},
        {-1, 3, -1, 2},       {6, 3, 2, 0},
        {-6, 3, -2, 0},       {INT64_MIN, -1, INT64_MIN, 0},
        {INT64_MIN, 0, 0, 0},
    };
    for (auto &c : cases) {
        EXPECT_EQ(fd.call<int64_t>(c.a, c.b), c.q) << c.a << " // " << c.b;
        EXPECT_EQ(md.call<int64_t>(c.a, c.b), c.r) << c.a << " % " << c.b;
    }
    Kernel fd8(binop("//"), "int8, int8");
    EXPECT_EQ(fd8.call<int8_t>(int8_t(-128), int8_t(-1)), -128);
    Kernel fdu(binop("//"), "uint8, uint8"), mdu(binop("%"), "uint8, uint8");
    EXPECT_EQ(fdu.call<uint8_t>(uint8_t(200), uint8_t(0)), 0);
    EXPECT_EQ(fdu.call<uint8_t>(uint8_t(200), uint8_t(7)), 28);
    EXPECT_EQ(mdu.call<uint8_t>(uint8_t(200), uint8_t(7)), 4);
    EXPECT_EQ(mdu.call<uint8_t>(uint8_t(200), uint8_t(0)), 0);
}

TEST(CodegenArith, IntegerOverflowWraps) {
    Kernel add(binop("+"), "int32, int32"), mul(binop("*"), "int8, int8");
    EXPECT_EQ(add.call<int32_t>(INT32_MAX, 1), INT32_MIN);
    EXPECT_EQ(mul.call<int8_t>(int8_t(100), int8_t(3)), int8_t(44));
    Kernel neg(kernel("a", "(return (unary neg (name a)))"), "int64");
    EXPECT_EQ(neg.call<int64_t>(INT64_MIN), INT64_MIN);
}

TEST(CodegenArith, FloatFloorDivAndRemainderMatchNumPy) {
    Kernel fd(binop("//"), "float64, float64"), md(binop("%"), "float64, float64");
    struct {
        double a, b, q, r;
    } cases[] = {
        {7.5, 2.0, 3.0, 1.5},
        {-7.5, 2.0, -4.0, 0.5},
        {7.5, -2.0, -4.0, -0.5},
        {-7.5, -2.0, 3.0, -1.5},
        {1.0, 0.0, kInf, kNaN},
        {-1.0, 0.0, -kInf, kNaN},
        {0.0, 0.0, kNaN, kNaN},
        {5.0, kInf, 0.0, 5.0},
        {-5.0, kInf, -1.0, kInf},
        {kInf, 2.0, kNaN, kNaN},
        {6.0, 3.0, 2.0, 0.0},
        {-6.0, 3.0, -2.0, 0.0},
        {0.0, -3.0, -0.0, -0.0},
        {1e300, 1e-300, kInf, 4.891554850853602e-301},
        {0.1, 0.01, 10.0, 3.469446951953614e-18},
        {kNaN, 1.0, kNaN, kNaN},
    };
    for (auto &c : cases) {
        EXPECT_SAME(fd.call<double>(c.a, c.b), c.q) << c.a << " // " << c.b;
        EXPECT_SAME(md.call<double>(c.a, c.b), c.r) << c.a << " % " << c.b;
    }
    Kernel fd32(binop("//"), "float32, float32");
    EXPECT_EQ(fd32.call<float>(-7.5f, 2.0f), -4.0f);
}

TEST(CodegenArith, TrueDivisionByZero) {
    Kernel dv(binop("/"), "float64, float64");
    EXPECT_SAME(dv.call<double>(1.0, 0.0), kInf);
    EXPECT_SAME(dv.call<double>(-1.0, 0.0), -kInf);
    EXPECT_SAME(dv.call<double>(0.0, 0.0), kNaN);
    Kernel iv(binop("/"), "int64, int64");
    EXPECT_SAME(iv.call<double>(int64_t(7), int64_t(2)), 3.5);
    EXPECT_SAME(iv.call<double>(int64_t(1), int64_t(0)), kInf);
}

TEST(CodegenArith, IntegerPower) {
    Kernel p(binop("**"), "int64, int64");
    EXPECT_EQ(p.call<int64_t>(int64_t(3), int64_t(4)), 81);
    EXPECT_EQ(p.call<int64_t>(int64_t(-2), int64_t(5)), -32);
    EXPECT_EQ(p.call<int64_t>(int64_t(7), int64_t(0)), 1);
    EXPECT_EQ(p.call<int64_t>(int64_t(2), int64_t(70)), 0); // wraps like NumPy
    EXPECT_EQ(p.call<int64_t>(int64_t(2), int64_t(-1)), 0);
    EXPECT_EQ(p.call<int64_t>(int64_t(1), int64_t(-5)), 1);
    EXPECT_EQ(p.call<int64_t>(int64_t(-1), int64_t(-5)), -1);
    EXPECT_EQ(p.call<int64_t>(int64_t(-1), int64_t(-4)), 1);
    Kernel sq(kernel("a", "(return (binop ** (name a) (int 5)))"), "int32");
    EXPECT_EQ(sq.call<int32_t>(3), 243);
    Kernel neg(kernel("a", "(return (binop ** (name a) (unary neg (int 2))))"), "int32");
    EXPECT_EQ(neg.call<int32_t>(-1), 1);
    EXPECT_EQ(neg.call<int32_t>(5), 0);
    Kernel pu(binop("**"), "uint8, uint8");
    EXPECT_EQ(pu.call<uint8_t>(uint8_t(3), uint8_t(5)), uint8_t(243));
    Kernel pb(binop("**"), "bool, bool"); // int8 in NumPy
    EXPECT_EQ(pb.call<int8_t>(false, false), 1);
}

TEST(CodegenArith, FloatPower) {
    Kernel p(binop("**"), "float64, float64");
    EXPECT_SAME(p.call<double>(2.0, 0.5), std::sqrt(2.0));
    EXPECT_SAME(p.call<double>(-8.0, 1.0 / 3), kNaN);
    Kernel fi(binop("**"), "float32, int8");
    EXPECT_EQ(fi.call<float>(1.5f, int8_t(2)), 2.25f);
}

TEST(CodegenArith, ShiftsFollowNumPy) {
    Kernel l(binop("<<"), "int8, int8"), r(binop(">>"), "int8, int8");
    EXPECT_EQ(l.call<int8_t>(int8_t(1), int8_t(3)), 8);
    EXPECT_EQ(l.call<int8_t>(int8_t(1), int8_t(9)), 0);
    EXPECT_EQ(l.call<int8_t>(int8_t(1), int8_t(-1)), 0);
    EXPECT_EQ(r.call<int8_t>(int8_t(-4), int8_t(1)), -2);
    EXPECT_EQ(r.call<int8_t>(int8_t(-4), int8_t(100)), -1);
    EXPECT_EQ(r.call<int8_t>(int8_t(4), int8_t(100)), 0);
    EXPECT_EQ(r.call<int8_t>(int8_t(-4), int8_t(-1)), -1);
    Kernel ru(binop(">>"), "uint64, uint64");
    EXPECT_EQ(ru.call<uint64_t>(~uint64_t(0), uint64_t(64)), 0u);
    EXPECT_EQ(ru.call<uint64_t>(~uint64_t(0), uint64_t(63)), 1u);
}

TEST(CodegenArith, BoolOperators) {
    Kernel add(binop("+"), "bool, bool"), mul(binop("*"), "bool, bool");
    EXPECT_EQ(add.call<bool>(true, true), true);
    EXPECT_EQ(add.call<bool>(false, false), false);
    EXPECT_EQ(mul.call<bool>(true, false), false);
    Kernel inv(kernel("a", "(return (unary ~ (name a)))"), "bool");
    EXPECT_EQ(inv.call<bool>(true), false);
    Kernel inv8(kernel("a", "(return (unary ~ (name a)))"), "uint8");
    EXPECT_EQ(inv8.call<uint8_t>(uint8_t(5)), 250);
    Kernel fd(binop("//"), "bool, bool");
    EXPECT_EQ(fd.call<int8_t>(true, false), 0);
}

TEST(CodegenArith, Comparisons) {
    Kernel lt(binop("<"), "float64, float64"), ne(binop("!="), "float64, float64");
    EXPECT_TRUE(lt.call<bool>(1.0, 2.0));
    EXPECT_FALSE(lt.call<bool>(kNaN, 2.0));
    EXPECT_TRUE(ne.call<bool>(kNaN, kNaN));
    Kernel mixed(binop("<"), "uint64, int64"); // compared exactly
    EXPECT_FALSE(mixed.call<bool>(uint64_t(1) << 63, int64_t(-1)));
    Kernel ul(kernel("x", "(return (cmp < (name x) (unary neg (int 1))))"), "uint8");
    EXPECT_FALSE(ul.call<bool>(uint8_t(0))); // by value, as NumPy 2
    Kernel big(kernel("x", "(return (cmp < (name x) (int 1000)))"), "int8");
    EXPECT_TRUE(big.call<bool>(int8_t(127)));
    Kernel sg(binop("<"), "int8, int8");
    EXPECT_TRUE(sg.call<bool>(int8_t(-1), int8_t(0)));
    Kernel us(binop("<"), "uint8, uint8");
    EXPECT_FALSE(us.call<bool>(uint8_t(255), uint8_t(0)));
}

TEST(CodegenArith, Casts) {
    Kernel f2i(kernel("x", "(return (name x))"), "float64", "int32");
    EXPECT_EQ(f2i.call<int32_t>(-3.7), -3);
    EXPECT_EQ(f2i.call<int32_t>(1e20), INT32_MAX);
    EXPECT_EQ(f2i.call<int32_t>(-1e20), INT32_MIN);
    EXPECT_EQ(f2i.call<int32_t>(kNaN), 0);
    Kernel f2u(kernel("x", "(return (name x))"), "float32", "uint8");
    EXPECT_EQ(f2u.call<uint8_t>(-1.0f), 0);
    EXPECT_EQ(f2u.call<uint8_t>(300.0f), 255);
    Kernel i2b(kernel("x", "(return (name x))"), "int64", "bool");
    EXPECT_TRUE(i2b.call<bool>(int64_t(-2)));
    EXPECT_FALSE(i2b.call<bool>(int64_t(0)));
    Kernel f2b(kernel("x", "(return (name x))"), "float64", "bool");
    EXPECT_TRUE(f2b.call<bool>(kNaN));
    EXPECT_FALSE(f2b.call<bool>(-0.0));
    Kernel c2f(kernel("x", "(return (name x))"), "complex128", "float32");
    EXPECT_EQ(c2f.call<float>(std::complex<double>(1.5, 9)), 1.5f);
    Kernel c2b(kernel("x", "(return (name x))"), "complex64", "bool");
    EXPECT_TRUE(c2b.call<bool>(std::complex<float>(0, 1)));
    Kernel u2f(kernel("x", "(return (name x))"), "uint64", "float64");
    EXPECT_EQ(u2f.call<double>(~uint64_t(0)), 18446744073709551616.0);
    Kernel i2i(kernel("x", "(return (name x))"), "int16", "uint8");
    EXPECT_EQ(i2i.call<uint8_t>(int16_t(-1)), 255);
    Kernel s2l(kernel("x", "(return (name x))"), "int8", "int64");
    EXPECT_EQ(s2l.call<int64_t>(int8_t(-5)), -5);
    Kernel u2l(kernel("x", "(return (name x))"), "uint8", "int64");
    EXPECT_EQ(u2l.call<int64_t>(uint8_t(250)), 250);
    Kernel b2f(kernel("x", "(return (name x))"), "bool", "float32");
    EXPECT_EQ(b2f.call<float>(true), 1.0f);
}

TEST(CodegenArith, ComplexDivisionMatchesNumPy) {
    Kernel dv(binop("/"), "complex128, complex128");
    using C = std::complex<double>;
    struct {
        C a, b;
        double re, im;
    } cases[] = {
        {C(1, 2), C(3, -4), -0.2, 0.4},
        {C(1, 2), C(0, 0), kInf, kInf},
        {C(1e300, 1e300), C(1e-300, 1e-300), kInf, 0.0},
        {C(1, 1), C(1e-320, 0), kInf, kInf},
        {C(-0.0, 1), C(2, 0), 0.0, 0.5},
        {C(3, 4), C(kInf, 0), 0.0, 0.0},
        {C(1, 1), C(kNaN, 0), kNaN, kNaN},
    };
    for (auto &c : cases) {
        C r = dv.call<C>(c.a, c.b);
        EXPECT_SAME(r.real(), c.re) << c.a << " / " << c.b;
        EXPECT_SAME(r.imag(), c.im) << c.a << " / " << c.b;
    }
}

TEST(CodegenArith, ComplexArithmetic) {
    using C = std::complex<double>;
    Kernel mul(binop("*"), "complex128, complex128");
    EXPECT_EQ(mul.call<C>(C(1, 2), C(3, 4)), C(-5, 10));
    Kernel sub(binop("-"), "complex64, float32");
    EXPECT_EQ(sub.call<std::complex<float>>(std::complex<float>(1, 2), 0.5f),
              std::complex<float>(0.5f, 2));
    Kernel neg(kernel("a", "(return (unary neg (name a)))"), "complex128");
    EXPECT_EQ(neg.call<C>(C(1, -2)), C(-1, 2));
    Kernel eq(binop("=="), "complex128, float64");
    EXPECT_TRUE(eq.call<bool>(C(2, 0), 2.0));
    EXPECT_FALSE(eq.call<bool>(C(2, 1), 2.0));
    Kernel lit(kernel("x", "(return (binop + (name x) (complex 0 1)))"), "float32");
    EXPECT_EQ(lit.call<std::complex<float>>(2.0f), std::complex<float>(2, 1));
}

TEST(CodegenArith, ComplexPowerMatchesNumPy) {
    using C = std::complex<double>;
    auto pw = [](int n) {
        std::string e = n < 0 ? "(unary neg (int " + std::to_string(-n) + "))"
                              : "(int " + std::to_string(n) + ")";
        return Kernel(kernel("z", "(return (binop ** (name z) " + e + "))"), "complex128");
    };
    EXPECT_EQ(pw(2).call<C>(C(1, 2)), C(-3, 4));
    EXPECT_EQ(pw(3).call<C>(C(1, 2)), C(-11, -2));
    EXPECT_EQ(pw(5).call<C>(C(1, 2)), C(41, -38));
    EXPECT_EQ(pw(-2).call<C>(C(1, 2)), C(-0.12, -0.16));
    EXPECT_EQ(pw(2).call<C>(C(0, 0)), C(0, 0));
    C zinv = pw(-1).call<C>(C(0, 0));
    EXPECT_TRUE(std::isnan(zinv.real()) && std::isnan(zinv.imag()));
    EXPECT_EQ(pw(0).call<C>(C(1, 2)), C(1, 0));
    EXPECT_EQ(pw(0).call<C>(C(kNaN, 0)), C(1, 0));
    EXPECT_EQ(pw(7).call<C>(C(1.5, -0.5)), C(-15.5625, -19.1875));
    EXPECT_EQ(pw(17).call<C>(C(0.9, 0.3)), C(0.2805603720929512, -0.296745167791711));

    // A run-time integer exponent takes the same exact path as NumPy.
    Kernel ri(binop("**"), "complex128, int64");
    EXPECT_EQ(ri.call<C>(C(0, 1), int64_t(1)), C(0, 1));
    EXPECT_EQ(ri.call<C>(C(1, 2), int64_t(2)), C(-3, 4));
    EXPECT_EQ(ri.call<C>(C(1, 2), int64_t(3)), C(-11, -2));
    EXPECT_EQ(ri.call<C>(C(1, 2), int64_t(5)), C(41, -38));
    EXPECT_EQ(ri.call<C>(C(1, 2), int64_t(-2)), C(-0.12, -0.16));
    EXPECT_EQ(ri.call<C>(C(1.5, -0.5), int64_t(7)), C(-15.5625, -19.1875));
    EXPECT_EQ(ri.call<C>(C(0.9, 0.3), int64_t(17)), C(0.2805603720929512, -0.296745167791711));
    EXPECT_EQ(ri.call<C>(C(0, 0), int64_t(3)), C(0, 0));
    Kernel g(binop("**"), "complex128, complex128");
    auto near = [](C a, C b) { return std::abs(a - b) <= 4e-16 * std::abs(b); };
    EXPECT_PRED2(near, g.call<C>(C(1, 2), C(0.5, 0.25)), C(0.825903226952508, 0.7767752634267687));
    EXPECT_PRED2(near, g.call<C>(C(2, 0), C(0.5, 0)), C(1.414213562373095, 0.0));
    EXPECT_PRED2(near, g.call<C>(C(-1, 0), C(0.5, 0)), C(6.123233995736766e-17, 1.0));
    EXPECT_EQ(g.call<C>(C(3, 4), C(0, 0)), C(1, 0));
    EXPECT_EQ(g.call<C>(C(0, 0), C(2.5, 1)), C(0, 0));
}

TEST(CodegenArith, WeakLiteralsInNarrowTypes) {
    Kernel k(kernel("x", "(return (binop + (binop * (float 0.1) (name x)) (int 1)))"), "float32");
    EXPECT_EQ(k.call<float>(3.0f), 0.1f * 3.0f + 1.0f);
    Kernel i(kernel("x", "(return (binop + (name x) (int 100)))"), "int8");
    EXPECT_EQ(i.call<int8_t>(int8_t(100)), int8_t(-56));
}

TEST(CodegenArith, Float16RoundsEachOperation) {
    // float16 bit patterns: 1.0 = 0x3C00, 2.0 = 0x4000, 3.0 = 0x4200, 2048 = 0x6800.
    Kernel add(binop("+"), "float16, float16");
    EXPECT_EQ(add.call<uint16_t>(uint16_t(0x3C00), uint16_t(0x4000)), 0x4200);
    // 2048 + 1 is not representable: rounds to even (2048), as NumPy's float16.
    EXPECT_EQ(add.call<uint16_t>(uint16_t(0x6800), uint16_t(0x3C00)), 0x6800);
    Kernel mul(kernel("x", "(return (binop * (name x) (float 0.1)))"), "float16");
    EXPECT_EQ(mul.call<uint16_t>(uint16_t(0x4000)), 0x3266); // np.float16(2) * 0.1
    Kernel fd(binop("//"), "float16, int8");                 // float16 // int8 -> float16
    EXPECT_EQ(fd.call<uint16_t>(uint16_t(0x4200), int8_t(2)), 0x3C00);
    Kernel to_int(kernel("x", "(return (name x))"), "float16", "int32");
    EXPECT_EQ(to_int.call<int32_t>(uint16_t(0x4200)), 3);
}
