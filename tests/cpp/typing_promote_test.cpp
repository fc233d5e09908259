// NEP 50 promotion checked against NumPy: the tables below were generated once with NumPy 2.5
// (np.result_type, np.can_cast(..., "safe"), and array-of-dtype + Python literal).
#include "typing/promote.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace lj;

namespace {

const char *kNames[kNumScalars] = {"bool",    "int8",    "uint8",     "int16",     "uint16",
                                   "int32",   "uint32",  "int64",     "uint64",    "float16",
                                   "float32", "float64", "complex64", "complex128"};

// np.result_type(row, column) in the order of kNames.
const char *kResultType[kNumScalars] = {
    "bool int8 uint8 int16 uint16 int32 uint32 int64 uint64 float16 float32 float64 complex64 "
    "complex128",
    "int8 int8 int16 int16 int32 int32 int64 int64 float64 float16 float32 float64 complex64 "
    "complex128",
    "uint8 int16 uint8 int16 uint16 int32 uint32 int64 uint64 float16 float32 float64 complex64 "
    "complex128",
    "int16 int16 int16 int16 int32 int32 int64 int64 float64 float32 float32 float64 complex64 "
    "complex128",
    "uint16 int32 uint16 int32 uint16 int32 uint32 int64 uint64 float32 float32 float64 "
    "complex64 complex128",
    "int32 int32 int32 int32 int32 int32 int64 int64 float64 float64 float64 float64 complex128 "
    "complex128",
    "uint32 int64 uint32 int64 uint32 int64 uint32 int64 uint64 float64 float64 float64 "
    "complex128 complex128",
    "int64 int64 int64 int64 int64 int64 int64 int64 float64 float64 float64 float64 complex128 "
    "complex128",
    "uint64 float64 uint64 float64 uint64 float64 uint64 float64 uint64 float64 float64 float64 "
    "complex128 complex128",
    "float16 float16 float16 float32 float32 float64 float64 float64 float64 float16 float32 "
    "float64 complex64 complex128",
    "float32 float32 float32 float32 float32 float64 float64 float64 float64 float32 float32 "
    "float64 complex64 complex128",
    "float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 float64 "
    "float64 complex128 complex128",
    "complex64 complex64 complex64 complex64 complex64 complex128 complex128 complex128 "
    "complex128 complex64 complex64 complex128 complex64 complex128",
    "complex128 complex128 complex128 complex128 complex128 complex128 complex128 complex128 "
    "complex128 complex128 complex128 complex128 complex128 complex128",
};

// np.can_cast(row, column, "safe").
const char *kCanCast[kNumScalars] = {
    "11111111111111", "01010101011111", "00111111111111", "00010101001111", "00001111101111",
    "00000101000101", "00000011100101", "00000001000101", "00000000100101", "00000000011111",
    "00000000001111", "00000000000101", "00000000000011", "00000000000001",
};

// (np.array(1, dtype=column) + literal).dtype for the literals 1, 1.0 and 1j.
const char *kWeak[3] = {
    "int64 int8 uint8 int16 uint16 int32 uint32 int64 uint64 float16 float32 float64 complex64 "
    "complex128",
    "float64 float64 float64 float64 float64 float64 float64 float64 float64 float16 float32 "
    "float64 complex64 complex128",
    "complex128 complex128 complex128 complex128 complex128 complex128 complex128 complex128 "
    "complex128 complex64 complex64 complex128 complex64 complex128",
};

std::vector<std::string> words(const char *s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

TypeRef S(int i) {
    return scalar_type(static_cast<Scalar>(i));
}

} // namespace

TEST(Promote, StrongMatchesNumPyResultType) {
    for (int i = 0; i < kNumScalars; ++i) {
        auto row = words(kResultType[i]);
        ASSERT_EQ(row.size(), size_t(kNumScalars));
        for (int j = 0; j < kNumScalars; ++j)
            EXPECT_EQ(type_name(promote(S(i), S(j))), row[j]) << kNames[i] << " + " << kNames[j];
    }
}

TEST(Promote, CanCastMatchesNumPy) {
    for (int i = 0; i < kNumScalars; ++i)
        for (int j = 0; j < kNumScalars; ++j)
            EXPECT_EQ(can_cast_safely(static_cast<Scalar>(i), static_cast<Scalar>(j)),
                      kCanCast[i][j] == '1')
                << kNames[i] << " -> " << kNames[j];
}

TEST(Promote, WeakLiteralsMatchNumPy) {
    TypeRef weak[3] = {weak_int_type(), weak_float_type(), weak_complex_type()};
    for (int w = 0; w < 3; ++w) {
        auto row = words(kWeak[w]);
        for (int j = 0; j < kNumScalars; ++j) {
            EXPECT_EQ(type_name(promote(S(j), weak[w])), row[j]) << kNames[j] << " + " << w;
            EXPECT_EQ(promote(weak[w], S(j)), promote(S(j), weak[w]));
        }
    }
}

TEST(Promote, WeakWithWeakTakesTheHigherKind) {
    EXPECT_EQ(promote(weak_int_type(), weak_int_type()), weak_int_type());
    EXPECT_EQ(promote(weak_int_type(), weak_float_type()), weak_float_type());
    EXPECT_EQ(promote(weak_float_type(), weak_int_type()), weak_float_type());
    EXPECT_EQ(promote(weak_complex_type(), weak_float_type()), weak_complex_type());
}

TEST(Promote, NonNumbersHaveNoCommonType) {
    TypeRef t = tuple_type({S(7), S(7)});
    EXPECT_EQ(promote(t, S(11)), nullptr);
    EXPECT_EQ(promote(none_type(), weak_int_type()), nullptr);
    EXPECT_EQ(promote(nullptr, S(1)), nullptr);
}

TEST(Promote, TrueDivide) {
    EXPECT_EQ(true_divide_type(scalar_type(Scalar::Int8)), scalar_type(Scalar::Float64));
    EXPECT_EQ(true_divide_type(scalar_type(Scalar::Bool)), scalar_type(Scalar::Float64));
    EXPECT_EQ(true_divide_type(scalar_type(Scalar::UInt64)), scalar_type(Scalar::Float64));
    EXPECT_EQ(true_divide_type(scalar_type(Scalar::Float32)), scalar_type(Scalar::Float32));
    EXPECT_EQ(true_divide_type(scalar_type(Scalar::Float16)), scalar_type(Scalar::Float16));
    EXPECT_EQ(true_divide_type(scalar_type(Scalar::Complex64)), scalar_type(Scalar::Complex64));
    EXPECT_EQ(true_divide_type(weak_int_type()), weak_float_type());
    EXPECT_EQ(true_divide_type(weak_complex_type()), weak_complex_type());
}

TEST(Promote, SeveralOperandsPromoteTogether) {
    auto t = [](Scalar s) { return scalar_type(s); };
    TypeRef b = t(Scalar::Bool), i8 = t(Scalar::Int8), f32 = t(Scalar::Float32);
    // The order does not matter: the dtypes promote first, then the Python numbers join.
    for (const auto &list : std::vector<std::vector<TypeRef>>{
             {b, weak_int_type(), i8}, {weak_int_type(), b, i8}, {i8, b, weak_int_type()}})
        EXPECT_EQ(promote_all(list), i8);
    EXPECT_EQ(promote_all({b, weak_int_type(), f32}), f32);
    EXPECT_EQ(promote_all({b, weak_int_type()}), t(Scalar::Int64));
    EXPECT_EQ(promote_all({i8, weak_int_type(), weak_float_type()}), t(Scalar::Float64));
    EXPECT_EQ(promote_all({f32, weak_complex_type(), weak_int_type()}), t(Scalar::Complex64));
    // Not pairwise: int8 + uint8 is int16, but the three together are float16, as NumPy.
    EXPECT_EQ(promote_all({i8, t(Scalar::UInt8), t(Scalar::Float16)}), t(Scalar::Float16));
    EXPECT_EQ(promote_all({t(Scalar::Float16), t(Scalar::UInt16), t(Scalar::Int16)}), f32);
    EXPECT_EQ(promote_all({t(Scalar::Int64), t(Scalar::UInt64)}), t(Scalar::Float64));
    EXPECT_EQ(promote_all({weak_int_type(), weak_float_type()}), weak_float_type());
    for (int i = 0; i < kNumScalars; ++i)
        for (int j = 0; j < kNumScalars; ++j)
            EXPECT_EQ(promote_all({S(i), S(j)}), promote(S(i), S(j)));
    EXPECT_EQ(promote_all({}), nullptr);
    EXPECT_EQ(promote_all({i8, none_type()}), nullptr);
}
