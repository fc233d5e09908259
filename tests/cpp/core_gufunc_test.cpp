// End-to-end gufunc loops: a kernel in IR text through compile_gufunc, run over arrays laid out
// as NumPy passes them (outer steps, core dimensions and core strides).
#include "compile_gufunc.h"
#include "kernel_text.h"
#include "loopnest/kernel_runtime.h"

#include <gtest/gtest.h>

#include <vector>

namespace lj::test {
namespace {

CompiledGufunc compile(const std::string &params, const std::string &body, const std::string &sig,
                       std::vector<std::vector<int>> core, int nin, bool boundscheck = false) {
    GufuncSpec spec;
    spec.nin = nin;
    spec.core_dims = std::move(core);
    CompileOptions opts;
    opts.boundscheck = boundscheck;
    return compile_gufunc(print_ir(*kernel(params, body)), parse_signature(sig), spec, opts);
}

// out[0] = sum(x[i] * y[i]): "(n),(n)->()".
const char *kDot = "(assign (name s) (float 0))"
                   "(for (name i) (call range (call len (name x)))"
                   "  (block (augassign + (name s) (binop * (getitem (name x) (name i))"
                   "                                         (getitem (name y) (name i)))))"
                   "  (block))"
                   "(assign (getitem (name out) (int 0)) (name s))";

TEST(CoreGufunc, RowDotContiguousAndStrided) {
    CompiledGufunc g = compile("x y out", kDot, "void(float64[:], float64[:], float64[:])",
                               {{0}, {0}, {}}, 2);
    const int64_t rows = 3, n = 5;
    std::vector<double> x(rows * n), y(rows * n), out(rows);
    for (int64_t i = 0; i < rows * n; ++i) {
        x[i] = static_cast<double>(i);
        y[i] = 2.0;
    }
    char *data[] = {reinterpret_cast<char *>(x.data()), reinterpret_cast<char *>(y.data()),
                    reinterpret_cast<char *>(out.data())};
    int64_t dims[] = {rows, n};
    int64_t steps[] = {n * 8, n * 8, 8, 8, 8}; // outer steps, then core strides of x and y
    LoopArgs args{data, dims, steps, nullptr};
    g.chunk(0, rows, &args);
    for (int64_t r = 0; r < rows; ++r) {
        double want = 0;
        for (int64_t i = 0; i < n; ++i)
            want += 2.0 * static_cast<double>(r * n + i);
        EXPECT_EQ(out[r], want);
    }
    // Every other element of each row, read backwards (negative core stride).
    int64_t dims2[] = {rows, 2};
    int64_t steps2[] = {n * 8, n * 8, 8, -16, 8};
    char *data2[] = {reinterpret_cast<char *>(x.data() + 2), reinterpret_cast<char *>(y.data()),
                     reinterpret_cast<char *>(out.data())};
    LoopArgs args2{data2, dims2, steps2, nullptr};
    g.chunk(0, rows, &args2);
    for (int64_t r = 0; r < rows; ++r)
        EXPECT_EQ(out[r], 2.0 * static_cast<double>(r * n + 2 + r * n + 0));
}

TEST(CoreGufunc, BoundsCheckReportsAndStops) {
    CompiledGufunc g = compile("x out",
                               "(assign (getitem (name out) (int 0)) (getitem (name x) "
                               "(call 7:11 len (name x))))",
                               "void(float64[:], float64[:])", {{0}, {}}, 1, true);
    EXPECT_TRUE(g.can_raise);
    std::vector<double> x(4, 1.0), out(2, -1.0);
    char *data[] = {reinterpret_cast<char *>(x.data()), reinterpret_cast<char *>(out.data())};
    int64_t dims[] = {2, 2};
    int64_t steps[] = {16, 8, 8};
    KernelError err;
    LoopArgs args{data, dims, steps, &err};
    g.chunk(0, 2, &args);
    ASSERT_EQ(err.raised.load(), 1);
    EXPECT_EQ(err.kind, KernelErrorKind::Index);
    EXPECT_EQ(err.message, "index 2 is out of bounds for axis 0 with size 2 (array 'x')");
    EXPECT_EQ(err.line, 7);
    EXPECT_EQ(out[0], -1.0); // nothing was written, and the loop stopped at the first row
    EXPECT_EQ(out[1], -1.0);
}

TEST(CoreGufunc, ScratchArraysAreReleased) {
    // t = np.zeros(n); t[i] = x[i] * 2; out[0] = t[n - 1]
    CompiledGufunc g = compile(
        "x out",
        "(assign (name t) (call np.zeros (call len (name x))))"
        "(for (name i) (call range (call len (name x)))"
        "  (block (assign (getitem (name t) (name i)) (binop * (getitem (name x) (name i)) "
        "(int 2)))) (block))"
        "(assign (getitem (name out) (int 0)) (getitem (name t) (int -1)))",
        "void(float32[:], float32[:])", {{0}, {}}, 1);
    EXPECT_TRUE(g.can_raise); // an allocation can fail
    std::vector<float> x{1, 2, 3, 4, 5, 6}, out(2);
    char *data[] = {reinterpret_cast<char *>(x.data()), reinterpret_cast<char *>(out.data())};
    int64_t dims[] = {2, 3};
    int64_t steps[] = {12, 4, 4};
    KernelError err;
    LoopArgs args{data, dims, steps, &err};
    g.chunk(0, 2, &args);
    EXPECT_EQ(err.raised.load(), 0);
    EXPECT_EQ(out[0], 6.0f);
    EXPECT_EQ(out[1], 12.0f);
}

TEST(CoreGufunc, SignatureAndOutputMistakes) {
    auto error = [](const std::string &params, const std::string &body, const std::string &sig,
                    std::vector<std::vector<int>> core, int nin) {
        try {
            compile(params, body, sig, std::move(core), nin);
        } catch (const CompileError &e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error("x out", "(assign (name out) (getitem (name x) (int 0)))",
                    "void(float64[:], float64[:])", {{0}, {}}, 1)
                  .find("rebinds the name"),
              std::string::npos);
    EXPECT_NE(error("x out", "(pass)", "void(float64[:], float64[:])", {{0}, {}}, 1)
                  .find("never written"),
              std::string::npos);
    EXPECT_NE(error("x out", "(assign (getitem (name out) (int 0)) (int 1))",
                    "void(float64[:, :], float64[:])", {{0}, {}}, 1)
                  .find("core dimension"),
              std::string::npos);
    EXPECT_NE(error("x out", "(assign (getitem (name out) (int 0)) (int 1))",
                    "void(float64[:], float64)", {{0}, {}}, 1)
                  .find("must be declared an array"),
              std::string::npos);
    EXPECT_NE(error("x out", "(assign (getitem (name out) (int 0)) (int 1))",
                    "void(float64[:], float64[:], float64[:])", {{0}, {}}, 1)
                  .find("the layout has 2 arguments"),
              std::string::npos);
    EXPECT_NE(error("x out", "(assign (getitem (name x) (int 0)) (int 1))"
                             "(assign (getitem (name out) (int 0)) (int 1))",
                    "void(float64[:], float64[:])", {{0}, {}}, 1)
                  .find("read-only"),
              std::string::npos);
}

} // namespace
} // namespace lj::test
