// Type inference of arrays in kernels: element types, views and their layouts, attributes,
// iteration, scratch arrays, and the errors for misuse.
#include "typing_infer_helpers.h"

namespace lj::test {
namespace {

TypeRef ret_of(const std::string &params, const std::string &body, const std::string &types) {
    return infer(kernel(params, body), types).functions[0].ret;
}

// The type of local `v` after `v = <expr>` in a kernel of one parameter `a`.
TypeRef view_type(const std::string &expr, const std::string &type) {
    auto prog = infer(kernel("a", "(assign (name v) " + expr + ")"), type);
    return local_type(prog.functions[0], "v");
}

TEST(TypingArray, ElementsAndViews) {
    EXPECT_EQ(ret_of("a", "(return (getitem (name a) (int -1)))", "float32[:]"), T("float32"));
    EXPECT_EQ(ret_of("a", "(return (getitem (name a) (tuple (int 1) (int 2))))", "int16[:, :]"),
              T("int16"));
    // a[i] of a C array keeps C; a[:, 0] and a[::2] are any-layout views.
    EXPECT_EQ(view_type("(getitem (name a) (int 1))", "float64[:, ::1]"),
              array_type(Scalar::Float64, 1, Layout::C));
    EXPECT_EQ(view_type("(getitem (name a) (tuple (slice (none) (none) (none)) (int 0)))",
                        "float64[:, ::1]"),
              array_type(Scalar::Float64, 1, Layout::A));
    EXPECT_EQ(view_type("(getitem (name a) (slice (none) (none) (int 2)))", "float64[::1]"),
              array_type(Scalar::Float64, 1, Layout::A));
    EXPECT_EQ(view_type("(getitem (name a) (slice (int 1) (none) (none)))", "float64[::1]"),
              array_type(Scalar::Float64, 1, Layout::C));
    // Chained indexing: a[i][j].
    EXPECT_EQ(ret_of("a", "(return (getitem (getitem (name a) (int 0)) (int 1)))", "uint8[:, :]"),
              T("uint8"));
}

TEST(TypingArray, AttributesLenAndIteration) {
    EXPECT_EQ(ret_of("a", "(return (attr shape (name a)))", "float64[:, :]"),
              tuple_type({T("int64"), T("int64")}));
    EXPECT_EQ(ret_of("a", "(return (attr size (name a)))", "float64[:, :]"), T("int64"));
    EXPECT_EQ(ret_of("a", "(return (call len (name a)))", "float64[:, :]"), T("int64"));
    auto prog = infer(kernel("a",
                             "(assign (name s) (float 0))"
                             "(for (name x) (name a) (block (augassign + (name s) (name x))) "
                             "(block))"
                             "(return (name s))"),
                      "float32[:]");
    EXPECT_EQ(local_type(prog.functions[0], "x"), T("float32"));
    EXPECT_EQ(prog.functions[0].ret, T("float32")); // a Python float adopts float32 (NEP 50)
}

TEST(TypingArray, ScratchArrays) {
    EXPECT_EQ(ret_of("n", "(assign (name t) (call np.zeros (name n) (dtype float32)))"
                          "(return (getitem (name t) (int 0)))",
                     "int64"),
              T("float32"));
    auto prog = infer(kernel("a", "(assign (name t) (call np.empty_like (name a)))"
                                  "(assign (name u) (call np.ones (tuple (int 2) (int 3))))"),
                      "int8[:, :]");
    EXPECT_EQ(local_type(prog.functions[0], "t"), array_type(Scalar::Int8, 2, Layout::C));
    EXPECT_EQ(local_type(prog.functions[0], "u"), array_type(Scalar::Float64, 2, Layout::C));
}

TEST(TypingArray, Errors) {
    auto msg = [](const std::string &params, const std::string &body, const std::string &t) {
        return std::string(infer_error(kernel(params, body), t).what());
    };
    EXPECT_NE(msg("a", "(return (getitem (name a) (tuple (int 0) (int 0))))", "float64[:]")
                  .find("too many indices"),
              std::string::npos);
    EXPECT_NE(msg("a", "(return (getitem (name a) (float 1.5)))", "float64[:]")
                  .find("only integers and slices"),
              std::string::npos);
    // Inputs of gufunc kernels are read-only arrays.
    infer(kernel("a", "(assign (getitem (name a) (int 0)) (int 1))"), "float64[:]");
    TypeRef ro = array_type(Scalar::Float64, 1, Layout::A, true);
    try {
        infer_types(*kernel("a", "(assign (getitem (name a) (int 0)) (int 1))"), {ro}, nullptr);
        FAIL() << "writing a read-only array typed";
    } catch (const CompileError &e) {
        EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
    }
    EXPECT_NE(msg("a", "(return (name a))", "float64[:]").find("returning an array"),
              std::string::npos);
    EXPECT_NE(msg("a", "(return (getitem (name a) (slice (none) (none) (int 0))))", "float64[:]")
                  .find("slice step cannot be zero"),
              std::string::npos);
}

} // namespace
} // namespace lj::test
