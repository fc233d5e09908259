// End-to-end stencils: a 1-D three-point kernel in IR text through compile_stencil, each border
// mode against a reference written from scipy.ndimage's definitions of the modes.
#include "compile_stencil.h"
#include "kernel_text.h"
#include "loopnest/kernel_runtime.h"

#include <gtest/gtest.h>

#include <vector>

namespace lj::test {
namespace {

using Mode = KernelOptions::StencilMode;

// out[i] = a[i-1] + 10 a[i] + 100 a[i+1]
const char *kThreePoint = "(return (binop + (binop + (getitem (name a) (int -1)) "
                          "(binop * (int 10) (getitem (name a) (int 0)))) "
                          "(binop * (int 100) (getitem (name a) (int 1)))))";

CompiledStencil compile(Mode mode, double cval, const std::string &body = kThreePoint,
                        std::vector<std::pair<int64_t, int64_t>> nb = {}) {
    StencilSpec spec;
    spec.kinds = {StencilOperand::Kind::Relative};
    spec.mode = mode;
    spec.cval = cval;
    spec.neighborhood = std::move(nb);
    Signature sig;
    sig.args = {parse_type("float64[:]")};
    return compile_stencil(print_ir(*kernel("a", body)), sig, spec, CompileOptions{});
}

std::vector<double> run(const CompiledStencil &s, std::vector<double> a) {
    std::vector<double> out(a.size(), -1);
    char *data[] = {reinterpret_cast<char *>(a.data()), reinterpret_cast<char *>(out.data())};
    int64_t dims[] = {static_cast<int64_t>(a.size()), static_cast<int64_t>(a.size())};
    int64_t steps[] = {8, 8};
    KernelError err;
    LoopArgs args{data, dims, steps, &err};
    s.chunk(0, static_cast<int64_t>(a.size()), &args);
    EXPECT_EQ(err.raised.load(), 0) << err.message;
    return out;
}

// scipy.ndimage's extension of `a` to index i.
double extended(const std::vector<double> &a, int64_t i, Mode mode, double cval) {
    const int64_t n = static_cast<int64_t>(a.size());
    auto mod = [](int64_t x, int64_t m) { return ((x % m) + m) % m; };
    switch (mode) {
    case Mode::Constant:
        return i < 0 || i >= n ? cval : a[i];
    case Mode::Nearest:
        return a[std::min(std::max<int64_t>(i, 0), n - 1)];
    case Mode::Wrap:
        return a[mod(i, n)];
    case Mode::Reflect: {
        int64_t m = mod(i, 2 * n);
        return a[m < n ? m : 2 * n - 1 - m];
    }
    case Mode::Mirror: {
        if (n == 1)
            return a[0];
        int64_t m = mod(i, 2 * n - 2);
        return a[m < n ? m : 2 * n - 2 - m];
    }
    }
    return 0;
}

TEST(CoreStencil, EveryModeMatchesItsDefinition) {
    for (Mode mode : {Mode::Constant, Mode::Nearest, Mode::Reflect, Mode::Mirror, Mode::Wrap}) {
        CompiledStencil s = compile(mode, 0.5);
        EXPECT_EQ(s.lo, std::vector<int64_t>{1});
        EXPECT_EQ(s.hi, std::vector<int64_t>{1});
        for (size_t n : {1u, 2u, 3u, 20u}) { // 1 and 2: every point is a border point
            std::vector<double> a(n);
            for (size_t i = 0; i < n; ++i)
                a[i] = static_cast<double>(i * i + 1);
            std::vector<double> got = run(s, a);
            for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) {
                double want = extended(a, i - 1, mode, 0.5) + 10 * extended(a, i, mode, 0.5) +
                              100 * extended(a, i + 1, mode, 0.5);
                EXPECT_EQ(got[i], want) << "mode " << static_cast<int>(mode) << " n " << n
                                        << " i " << i;
            }
        }
    }
}

TEST(CoreStencil, VariableIndicesNeedANeighborhoodAndStayInIt) {
    const std::string body = "(assign (name s) (float 0))"
                             "(for (name k) (call range (int -2) (int 3))"
                             "  (block (augassign + (name s) (getitem (name a) (name k)))) (block))"
                             "(return (name s))";
    try {
        compile(Mode::Wrap, 0, body);
        FAIL() << "compiled without a neighborhood";
    } catch (const CompileError &e) {
        EXPECT_NE(std::string(e.what()).find("neighborhood"), std::string::npos) << e.what();
    }
    CompiledStencil s = compile(Mode::Wrap, 0, body, {{-2, 2}});
    std::vector<double> a{1, 2, 3, 4, 5, 6};
    std::vector<double> got = run(s, a);
    for (int64_t i = 0; i < 6; ++i) {
        double want = 0;
        for (int64_t k = -2; k <= 2; ++k)
            want += a[((i + k) % 6 + 6) % 6];
        EXPECT_EQ(got[i], want);
    }
    // A neighborhood smaller than the loop's reach: an error, not a read outside the array.
    CompiledStencil narrow = compile(Mode::Wrap, 0, body, {{-1, 1}});
    std::vector<double> out(6);
    char *data[] = {reinterpret_cast<char *>(a.data()), reinterpret_cast<char *>(out.data())};
    int64_t dims[] = {6, 6};
    int64_t steps[] = {8, 8};
    KernelError err;
    LoopArgs args{data, dims, steps, &err};
    narrow.chunk(0, 6, &args);
    EXPECT_EQ(err.raised.load(), 1);
    EXPECT_EQ(err.kind, KernelErrorKind::Neighborhood);
}

TEST(CoreStencil, ConstantIndexOutsideTheNeighborhoodIsACompileError) {
    try {
        compile(Mode::Constant, 0, kThreePoint, {{-1, 0}});
        FAIL() << "compiled a read outside the neighborhood";
    } catch (const CompileError &e) {
        EXPECT_NE(std::string(e.what()).find("outside the declared neighborhood"),
                  std::string::npos)
            << e.what();
    }
}

} // namespace
} // namespace lj::test
