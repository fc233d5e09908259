// Core-language kernels through the whole pipeline (compile_elementwise: inference, kernel
// codegen, elementwise loop, O3, JIT) over arrays: results equal a C++ reference of NumPy's
// semantics, float kernels vectorize, and errors carry the function's name and location.
#include "compiler.h"
#include "kernel_text.h"

#include "core_test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <string>
#include <vector>

using namespace lj;
using test::run;
using test::vectorized;

namespace {

CompiledLoop compile(const std::string &params, const std::string &body, const std::string &sig,
                     const std::string &more = "") {
    return test::compile_kernel(params, body, sig, more);
}

template <class T> std::vector<T> ramp(size_t n, double lo, double step) {
    std::vector<T> v(n);
    for (size_t i = 0; i < n; ++i)
        v[i] = static_cast<T>(lo + step * static_cast<double>(i));
    return v;
}

// rel_diff from the design guide: 2 * (x - y) / (x + y)
const char *kRelDiff = "(return (binop / (binop * (int 2) (binop - (name x) (name y))) "
                       "(binop + (name x) (name y))))";

} // namespace

TEST(CoreKernels, RelDiffFloat64AndFloat32) {
    CompiledLoop d = compile("x y", kRelDiff, "float64(float64, float64)");
    auto x = ramp<double>(1003, 1.0, 0.37), y = ramp<double>(1003, 2.0, 0.11);
    auto r = run<double>(d, x, y);
    for (size_t i = 0; i < x.size(); ++i)
        ASSERT_EQ(r[i], 2 * (x[i] - y[i]) / (x[i] + y[i])) << i;
    EXPECT_TRUE(vectorized(d, "double")) << d.llvm_ir;

    // NEP 50: the literal 2 does not widen float32 to float64.
    CompiledLoop f = compile("x y", kRelDiff, "float32(float32, float32)");
    EXPECT_EQ(f.typed_ir.find("float64"), std::string::npos) << f.typed_ir;
    auto xf = ramp<float>(517, 1.0, 0.37), yf = ramp<float>(517, 2.0, 0.11);
    auto rf = run<float>(f, xf, yf);
    for (size_t i = 0; i < xf.size(); ++i)
        ASSERT_EQ(rf[i], 2.0f * (xf[i] - yf[i]) / (xf[i] + yf[i])) << i;
    EXPECT_TRUE(vectorized(f, "float")) << f.llvm_ir;
}

TEST(CoreKernels, InferredReturnType) {
    CompiledLoop l = compile("a b", "(return (binop + (name a) (name b)))", "(int8, uint8)");
    ASSERT_EQ(l.outs.size(), 1u);
    EXPECT_EQ(l.outs[0], Scalar::Int16);
    auto r = run<int16_t>(l, std::vector<int8_t>{-128, 127}, std::vector<uint8_t>{255, 255});
    EXPECT_EQ(r, (std::vector<int16_t>{127, 382}));
}

TEST(CoreKernels, FloatFloorDivAndModVectorize) {
    CompiledLoop l =
        compile("a b", "(return (binop % (name a) (name b)))", "float64(float64, float64)");
    auto a = ramp<double>(256, -20.0, 0.173), b = ramp<double>(256, 3.5, -0.03);
    auto r = run<double>(l, a, b);
    for (size_t i = 0; i < a.size(); ++i) {
        double m = std::fmod(a[i], b[i]);
        if (m != 0 && ((b[i] < 0) != (m < 0)))
            m += b[i];
        ASSERT_EQ(r[i], m == 0 ? std::copysign(0.0, b[i]) : m) << a[i] << " % " << b[i];
    }
    EXPECT_TRUE(vectorized(l, "double")) << l.llvm_ir; // selects, no per-element branches
    CompiledLoop fd =
        compile("a b", "(return (binop // (name a) (name b)))", "float32(float32, float32)");
    EXPECT_TRUE(vectorized(fd, "float")) << fd.llvm_ir;
}

TEST(CoreKernels, IntegerFloorDivisionByZeroIsZero) {
    CompiledLoop l = compile("a b", "(return (binop // (name a) (name b)))", "int32(int32, int32)");
    std::vector<int32_t> a = {7, -7, 7, -7, 5, INT32_MIN, INT32_MIN, 0};
    std::vector<int32_t> b = {2, 2, -2, -2, 0, -1, 0, 0};
    EXPECT_EQ(run<int32_t>(l, a, b), (std::vector<int32_t>{3, -4, -4, 3, 0, INT32_MIN, 0, 0}));
}

TEST(CoreKernels, LoopsLocalsAndHelpers) {
    // def f(x, n):
    //     acc = 0
    //     for i in range(n):
    //         if i % 2: continue
    //         acc += poly(x, i)
    //     return acc
    // def poly(v, k): return v * k + 1
    CompiledLoop l = compile("x n",
                             "(assign (name acc) (int 0)) "
                             "(for (name i) (call range (name n)) (block "
                             "  (if (binop % (name i) (int 2)) (block (continue)) (block)) "
                             "  (augassign + (name acc) (call @poly (name x) (name i)))) (block)) "
                             "(return (name acc))",
                             "(float32, int32)",
                             "(func 9:0 poly (params (name v) (name k)) (block (return "
                             "(binop + (binop * (name v) (name k)) (int 1)))))");
    ASSERT_EQ(l.outs[0], Scalar::Float64); // float32 * int64 -> float64
    std::vector<float> x = {0.5f, 1.0f, -2.0f};
    std::vector<int32_t> n = {0, 5, 4};
    auto r = run<double>(l, x, n);
    EXPECT_EQ(r[0], 0.0);
    EXPECT_EQ(r[1], (0.5 * 0 + 1) * 0 + (1.0 * 0 + 1) + (1.0 * 2 + 1) + (1.0 * 4 + 1));
    EXPECT_EQ(r[2], (-2.0 * 0 + 1) + (-2.0 * 2 + 1));
}

TEST(CoreKernels, TupleReturnIsTwoOutputs) {
    CompiledLoop l = compile("a b",
                             "(return (tuple (binop // (name a) (name b)) "
                             "(binop % (name a) (name b))))",
                             "UniTuple(int64, 2)(int64, int64)");
    ASSERT_EQ(l.outs.size(), 2u);
    std::vector<int64_t> a = {-7, 9}, b = {2, -4}, q(2), m(2);
    char *data[] = {reinterpret_cast<char *>(a.data()), reinterpret_cast<char *>(b.data()),
                    reinterpret_cast<char *>(q.data()), reinterpret_cast<char *>(m.data())};
    int64_t dims[1] = {2}, steps[4] = {8, 8, 8, 8};
    LoopArgs args{data, dims, steps, nullptr};
    l.chunk(0, 2, &args);
    EXPECT_EQ(q, (std::vector<int64_t>{-4, -3}));
    EXPECT_EQ(m, (std::vector<int64_t>{1, -3}));
}

TEST(CoreKernels, ComplexKernel) {
    // Mandelbrot-style step: z * z + c, then |z|^2 via real/imag-free arithmetic.
    CompiledLoop l = compile("z c", "(return (binop + (binop ** (name z) (int 2)) (name c)))",
                             "complex128(complex128, complex128)");
    using C = std::complex<double>;
    std::vector<C> z = {C(1, 2), C(0.5, -0.25)}, c = {C(0.1, 0.1), C(-1, 0)};
    auto r = run<C>(l, z, c);
    EXPECT_EQ(r[0], C(-3.0 + 0.1, 4.0 + 0.1));
    EXPECT_EQ(r[1], C(0.25 - 0.0625 - 1, -0.25));
}

TEST(CoreKernels, ErrorsNameTheFunction) {
    try {
        compile("x", "(return (binop + (name x) (name 3:11 y)))", "float64(float64)");
        FAIL() << "no error";
    } catch (const CompileError &e) {
        EXPECT_EQ(e.kind, ErrorKind::Typing);
        EXPECT_EQ(e.func, "f");
        EXPECT_EQ(e.loc.line, 3);
        EXPECT_EQ(e.loc.col, 11);
        EXPECT_NE(std::string(e.what()).find("name 'y' is not defined"), std::string::npos);
    }
}

TEST(CoreKernels, CompileLatency) {
    // Reported, not asserted: timed assertions belong in benchmarks.
    CompiledLoop l = compile("x y", kRelDiff, "float64(float64, float64)");
    RecordProperty("compile_ms", std::to_string(l.compile_seconds * 1e3));
    EXPECT_GT(l.compile_seconds, 0.0);
}
