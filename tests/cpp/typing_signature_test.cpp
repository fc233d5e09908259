// Numba-compatible signature strings: scalar names and aliases, tuples, arrays, void, errors.
#include "typing/signature.h"

#include "support/error.h"

#include <gtest/gtest.h>

using namespace lj;

namespace {

TypeRef S(Scalar s) {
    return scalar_type(s);
}

std::string sig_error(const std::string &text) {
    try {
        parse_signature(text);
    } catch (const CompileError &e) {
        EXPECT_EQ(e.kind, ErrorKind::Signature);
        return e.what();
    }
    ADD_FAILURE() << "no error for " << text;
    return "";
}

} // namespace

TEST(Signature, ScalarSignature) {
    Signature s = parse_signature("float64(float64, float32)");
    EXPECT_EQ(s.ret, S(Scalar::Float64));
    ASSERT_EQ(s.args.size(), 2u);
    EXPECT_EQ(s.args[0], S(Scalar::Float64));
    EXPECT_EQ(s.args[1], S(Scalar::Float32));
    EXPECT_EQ(signature_string(s), "float64(float64, float32)");
}

TEST(Signature, NumbaAliases) {
    struct {
        const char *name;
        Scalar s;
    } cases[] = {
        {"f8", Scalar::Float64},     {"f4", Scalar::Float32},   {"f2", Scalar::Float16},
        {"double", Scalar::Float64}, {"i1", Scalar::Int8},      {"i2", Scalar::Int16},
        {"i4", Scalar::Int32},       {"i8", Scalar::Int64},     {"u1", Scalar::UInt8},
        {"u8", Scalar::UInt64},      {"b1", Scalar::Bool},      {"boolean", Scalar::Bool},
        {"bool_", Scalar::Bool},     {"intp", Scalar::Int64},   {"uintp", Scalar::UInt64},
        {"intc", Scalar::Int32},     {"c8", Scalar::Complex64}, {"c16", Scalar::Complex128},
        {"byte", Scalar::UInt8},     {"int_", Scalar::Int64},   {"complex128", Scalar::Complex128},
    };
    for (auto &c : cases)
        EXPECT_EQ(parse_type(c.name), S(c.s)) << c.name;
}

TEST(Signature, WhitespaceIsFree) {
    Signature s = parse_signature("  i4 ( i4 ,i8 ) ");
    EXPECT_EQ(signature_string(s), "int32(int32, int64)");
}

TEST(Signature, NoReturnType) {
    Signature s = parse_signature("(float64, float64)");
    EXPECT_EQ(s.ret, nullptr);
    EXPECT_EQ(s.args.size(), 2u);
    EXPECT_EQ(signature_string(s), "(float64, float64)");
    EXPECT_EQ(parse_signature("float64()").args.size(), 0u);
}

TEST(Signature, VoidAndTuples) {
    Signature s = parse_signature("void(float64[:], float64[:])");
    EXPECT_EQ(s.ret, none_type());
    Signature u = parse_signature("UniTuple(float64, 2)(float64, float64)");
    EXPECT_EQ(u.ret, tuple_type({S(Scalar::Float64), S(Scalar::Float64)}));
    Signature t = parse_signature("Tuple(f8, i8)(f8)");
    EXPECT_EQ(t.ret, tuple_type({S(Scalar::Float64), S(Scalar::Int64)}));
    EXPECT_EQ(signature_string(t), "Tuple(float64, int64)(float64)");
    EXPECT_EQ(parse_signature(signature_string(u)).ret, u.ret);
}

TEST(Signature, Arrays) {
    EXPECT_EQ(parse_type("float64[:]"), array_type(Scalar::Float64, 1, Layout::A));
    EXPECT_EQ(parse_type("float64[::1]"), array_type(Scalar::Float64, 1, Layout::C));
    EXPECT_EQ(parse_type("float32[:, ::1]"), array_type(Scalar::Float32, 2, Layout::C));
    EXPECT_EQ(parse_type("int64[::1, :]"), array_type(Scalar::Int64, 2, Layout::F));
    EXPECT_EQ(parse_type("f8[:, :, :]"), array_type(Scalar::Float64, 3, Layout::A));
    EXPECT_EQ(parse_type("array(float64, 2d, F)"), array_type(Scalar::Float64, 2, Layout::F));
    EXPECT_EQ(parse_type("array(float64, 1d, A, readonly)"),
              array_type(Scalar::Float64, 1, Layout::A, true));
    Signature s = parse_signature("void(float32[:, ::1], int64[::1, :], f8[:])");
    EXPECT_EQ(signature_string(s), "void(float32[:, ::1], int64[::1, :], float64[:])");
    EXPECT_EQ(parse_signature(signature_string(s)).args, s.args);
}

TEST(Signature, Errors) {
    EXPECT_NE(sig_error("floaty64(float64)").find("unknown type 'floaty64'"), std::string::npos);
    EXPECT_NE(sig_error("floaty64(float64)").find("floaty64(float64)"), std::string::npos);
    EXPECT_NE(sig_error("float64(float64").find("expected ')'"), std::string::npos);
    EXPECT_NE(sig_error("float64").find("missing argument list"), std::string::npos);
    EXPECT_NE(sig_error("float64(void)").find("only allowed as the return type"),
              std::string::npos);
    EXPECT_NE(sig_error("float64(float64) x").find("unexpected 'x'"), std::string::npos);
    EXPECT_NE(sig_error("void(float64[:, ::1, :])").find("first or the last"), std::string::npos);
    EXPECT_NE(sig_error("void(float64[::2])").find("'::1'"), std::string::npos);
    EXPECT_NE(sig_error("void(array(float64, 2, C))").find("dimension count"), std::string::npos);
    EXPECT_NE(sig_error("void(array(float64, 2d, X))").find("layout 'X'"), std::string::npos);
    EXPECT_THROW(parse_type("float64 float64"), CompileError);
    EXPECT_THROW(parse_type(""), CompileError);
}
