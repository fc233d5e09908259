// Comparisons in kernel codegen: float orderings exact for every pair of special values (signed
// zeros, subnormals, infinities, NaNs) and raising no "invalid" flag, emitted without ordered
// fcmp unless fastmath; exact signed/unsigned 64-bit integer comparisons; and NumPy's wrapping
// conversion back of np.round on integers. Run unoptimized and at O3.
#include "codegen_helpers.h"

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

using namespace lj;
using namespace lj::test;

namespace {

const char *const kOrderings[] = {"<", "<=", ">", ">="};
const char *const kAllOps[] = {"<", "<=", ">", ">=", "==", "!="};

NodePtr compare(const std::string &op) {
    return kernel("a b", "(return (cmp " + op + " (name a) (name b)))");
}

// IEEE comparison by the quiet C macros (the C operators < <= > >= may raise "invalid").
template <class T> bool reference(const std::string &op, T a, T b) {
    if (op == "<")
        return std::isless(a, b);
    if (op == "<=")
        return std::islessequal(a, b);
    if (op == ">")
        return std::isgreater(a, b);
    if (op == ">=")
        return std::isgreaterequal(a, b);
    if (op == "==")
        return !std::isunordered(a, b) && !std::islessgreater(a, b);
    return std::isunordered(a, b) || std::islessgreater(a, b);
}

template <class T> std::vector<T> specials() {
    using L = std::numeric_limits<T>;
    std::vector<T> v = {T(0),
                        -T(0),
                        T(1),
                        -T(1),
                        T(1.5),
                        -T(2.5),
                        L::denorm_min(),
                        -L::denorm_min(),
                        L::min(),
                        -L::min(),
                        L::max(),
                        -L::max(),
                        L::infinity(),
                        -L::infinity(),
                        L::quiet_NaN(),
                        -L::quiet_NaN()};
    // The largest subnormal and a NaN with a payload.
    v.push_back(std::nextafter(L::min(), T(0)));
    using Bits = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
    Bits nan_bits;
    T nan = L::quiet_NaN();
    std::memcpy(&nan_bits, &nan, sizeof nan);
    nan_bits |= 5;
    std::memcpy(&nan, &nan_bits, sizeof nan);
    v.push_back(nan);
    return v;
}

template <class T> void check_all_pairs(const char *type) {
    std::string params = std::string(type) + ", " + type;
    std::vector<T> v = specials<T>();
    std::feclearexcept(FE_ALL_EXCEPT);
    for (const char *op : kAllOps) {
        Kernel k(compare(op), params);
        for (T a : v)
            for (T b : v)
                ASSERT_EQ(k.call<bool>(a, b), reference(op, a, b))
                    << type << ": " << a << " " << op << " " << b;
    }
    EXPECT_FALSE(std::fetestexcept(FE_INVALID)) << type << " comparisons raised 'invalid'";
}

// The value of a float16 bit pattern (exactly, as a double).
double half_value(uint16_t h) {
    int exp = (h >> 10) & 0x1F, man = h & 0x3FF;
    double mag = exp == 0    ? std::ldexp(man, -24)
                 : exp == 31 ? (man ? std::numeric_limits<double>::quiet_NaN() : INFINITY)
                             : std::ldexp(man | 0x400, exp - 25);
    return (h & 0x8000) ? -mag : mag;
}

} // namespace

TEST(CodegenCompare, FloatsExactAndQuietForAllSpecialPairs) {
    check_all_pairs<double>("float64");
    check_all_pairs<float>("float32");
}

TEST(CodegenCompare, Float16EveryValueAgainstSpecials) {
    const uint16_t others[] = {0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x83FF, 0x0400, 0x3C00,
                               0xBC00, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00, 0x7E00, 0xFE00, 0x7C01};
    std::feclearexcept(FE_ALL_EXCEPT);
    for (const char *op : kOrderings) {
        Kernel k(compare(op), "float16, float16");
        for (uint32_t a = 0; a <= 0xFFFF; ++a)
            for (uint16_t b : others) {
                auto x = static_cast<uint16_t>(a);
                ASSERT_EQ(k.call<bool>(x, b), reference(op, half_value(x), half_value(b)))
                    << std::hex << "0x" << a << " " << op << " 0x" << b;
            }
    }
    EXPECT_FALSE(std::fetestexcept(FE_INVALID));
}

TEST(CodegenCompare, NoOrderedFcmpWithoutFastmath) {
    // x86 vector compares for fcmp olt/ole/ogt/oge (and the max/min LLVM makes of them) signal
    // on quiet NaNs: codegen must not emit them, wherever a comparison comes from.
    const char *exprs[] = {
        "(cmp < (name a) (name b))",
        "(cmp >= (name a) (name b))",
        "(call np.maximum (name a) (name b))",
        "(call np.fmin (name a) (name b))",
        "(call max (name a) (name b))",
        "(call np.clip (name a) (name b) (float 0x1p+0))",
        "(call np.sign (name a))",
        "(call np.isfinite (name a))",
        "(binop // (name a) (name b))",
        "(call np.heaviside (name a) (name b))",
        "(call np.nextafter (name a) (name b))",
        "(call np.logaddexp (name a) (name b))",
        "(ifexp (cmp > (name a) (name b)) (name a) (name b))",
    };
    const char *ordered[] = {"fcmp olt", "fcmp ole", "fcmp ogt", "fcmp oge",
                             "fcmp ult", "fcmp ule", "fcmp ugt", "fcmp uge"};
    for (const char *type : {"float64", "float32", "float16", "complex128"}) {
        for (const char *e : exprs) {
            std::string t = type;
            if (t == "complex128" && std::string(e).find("cmp ") != std::string::npos)
                continue; // complex numbers have no order
            if (t == "complex128" && std::string(e).find("np.maximum") == std::string::npos)
                continue;
            std::string ir =
                emit(kernel("a b", std::string("(return ") + e + ")"), t + ", " + t)->ir();
            for (const char *o : ordered)
                EXPECT_EQ(ir.find(o), std::string::npos) << type << " " << e << ":\n" << ir;
        }
    }
    // With fastmath (no NaNs promised) the native compare is used.
    std::string fast = emit(compare("<"), "float64, float64", "", true)->ir();
    EXPECT_NE(fast.find("fcmp fast olt"), std::string::npos) << fast;
}

TEST(CodegenCompare, SignedAgainstUInt64IsExact) {
    const int64_t s[] = {INT64_MIN,        -(int64_t(1) << 53) - 1, -1,       0, 1,
                         int64_t(1) << 53, (int64_t(1) << 53) + 1,  INT64_MAX};
    const uint64_t u[] = {0,
                          1,
                          uint64_t(1) << 53,
                          (uint64_t(1) << 53) + 1,
                          uint64_t(INT64_MAX),
                          uint64_t(1) << 63,
                          (uint64_t(1) << 63) + 1,
                          UINT64_MAX};
    auto ref = [](const std::string &op, __int128 a, __int128 b) {
        return op == "<"    ? a < b
               : op == "<=" ? a <= b
               : op == ">"  ? a > b
               : op == ">=" ? a >= b
               : op == "==" ? a == b
                            : a != b;
    };
    for (const char *op : kAllOps) {
        Kernel su(compare(op), "int64, uint64"), us(compare(op), "uint64, int64");
        for (int64_t a : s)
            for (uint64_t b : u) {
                EXPECT_EQ(su.call<bool>(a, b), ref(op, a, b)) << a << " " << op << " " << b;
                EXPECT_EQ(us.call<bool>(b, a), ref(op, b, a)) << b << " " << op << " " << a;
            }
        Kernel narrow(compare(op), "int8, uint64");
        EXPECT_EQ(narrow.call<bool>(int8_t(-1), UINT64_MAX), ref(op, -1, UINT64_MAX)) << op;
    }
}

TEST(CodegenCompare, RunTimePythonIntAgainstUnsigned) {
    // n = int(x) - 1 is a Python int: -1 < uint8 0 is True (not 255 < 0).
    auto m = kernel("x y", "(assign (name n) (binop - (call int (name x)) (int 1))) "
                           "(return (tuple (cmp < (name n) (name y)) (cmp == (name n) (name y))))");
    Kernel k8(m, "float64, uint8"), k64(m, "float64, uint64");
    auto r = k8.run(0.0, uint8_t(0));
    EXPECT_EQ(from_slot<bool>(r[0]), true);
    r = k8.run(0.0, uint8_t(255));
    EXPECT_EQ(from_slot<bool>(r[0]), true);
    EXPECT_EQ(from_slot<bool>(r[1]), false);
    r = k8.run(257.0, uint8_t(0)); // 256 does not wrap to 0
    EXPECT_EQ(from_slot<bool>(r[1]), false);
    r = k64.run(0.0, UINT64_MAX);
    EXPECT_EQ(from_slot<bool>(r[0]), true);
    EXPECT_EQ(from_slot<bool>(r[1]), false);
}

TEST(CodegenCompare, RoundIntegersToNegativeDecimalsWrapsLikeNumPy) {
    // Expected values from NumPy 2.5 on x86-64: np.round(np.full(19, v, dtype), n)[0].
    auto round = [](const char *type) {
        return Kernel(kernel("x n", "(return (call np.round (name x) (name n)))"),
                      std::string(type) + ", int64");
    };
    Kernel i8 = round("int8"), u8 = round("uint8"), i16 = round("int16"), u16 = round("uint16");
    Kernel i32 = round("int32"), u32 = round("uint32"), i64 = round("int64"), u64 = round("uint64");
    EXPECT_EQ(i8.call<int8_t>(int8_t(127), int64_t(-1)), -126);
    EXPECT_EQ(i8.call<int8_t>(int8_t(-128), int64_t(-1)), 126);
    EXPECT_EQ(i8.call<int8_t>(int8_t(25), int64_t(-1)), 20); // half to even
    EXPECT_EQ(i8.call<int8_t>(int8_t(-25), int64_t(-1)), -20);
    EXPECT_EQ(i8.call<int8_t>(int8_t(127), int64_t(2)), 127);
    EXPECT_EQ(i8.call<int8_t>(int8_t(127), int64_t(-400)), 0); // 0 * inf is NaN
    EXPECT_EQ(u8.call<uint8_t>(uint8_t(255), int64_t(-1)), 4);
    EXPECT_EQ(u8.call<uint8_t>(uint8_t(255), int64_t(-2)), 44);
    EXPECT_EQ(i16.call<int16_t>(int16_t(-32768), int64_t(-1)), 32766);
    EXPECT_EQ(u16.call<uint16_t>(uint16_t(65535), int64_t(-1)), 4);
    EXPECT_EQ(i32.call<int32_t>(INT32_MAX, int64_t(-1)), INT32_MIN);
    EXPECT_EQ(i32.call<int32_t>(INT32_MAX, int64_t(-2)), 2147483600);
    EXPECT_EQ(u32.call<uint32_t>(UINT32_MAX, int64_t(-1)), 0u);
    EXPECT_EQ(u32.call<uint32_t>(UINT32_MAX, int64_t(-400)), 2147483648u);
    EXPECT_EQ(u32.call<uint32_t>(4294967290u, int64_t(-1)), 4294967290u);
    EXPECT_EQ(i64.call<int64_t>(INT64_MAX, int64_t(-1)), INT64_MIN);
    EXPECT_EQ(i64.call<int64_t>(int64_t(1234565), int64_t(-1)), 1234560);
    EXPECT_EQ(u64.call<uint64_t>(UINT64_MAX, int64_t(-1)), 0u);
    EXPECT_EQ(u64.call<uint64_t>(uint64_t(9223372036854777043u), int64_t(-1)),
              9223372036854777856u);
    EXPECT_EQ(u64.call<uint64_t>(UINT64_MAX, int64_t(-400)), uint64_t(1) << 63);
}
