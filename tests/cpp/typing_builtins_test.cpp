// Typing of builtin calls (typing/builtins.h): result types as NumPy and Python give them, the
// casts inserted on arguments, and the errors for misuse.
#include "ir/node.h"
#include "typing/builtins.h"
#include "typing/ufunc_loops.h"
#include "typing_infer_helpers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace lj;

namespace {

const char kCodes[] = "?bBhHiIlLefdFD"; // NumPy type codes in Scalar order

TypeRef code_type(char c) {
    for (int i = 0; i < kNumScalars; ++i)
        if (scalar_char(static_cast<Scalar>(i)) == c)
            return scalar_type(static_cast<Scalar>(i));
    ADD_FAILURE() << "bad type code " << c;
    return nullptr;
}

TypeRef t(Scalar s) {
    return scalar_type(s);
}

NodePtr value(TypeRef type) {
    NodePtr n = make_node(NodeKind::Name, {1, 4});
    n->name = "x";
    n->type = type;
    return n;
}

NodePtr int_lit(int64_t v) {
    NodePtr n = make_node(NodeKind::Int, {1, 8});
    n->ival = v;
    n->type = weak_int_type();
    return n;
}

NodePtr float_lit(double v) {
    NodePtr n = make_node(NodeKind::Float, {1, 8});
    n->fval = v;
    n->type = weak_float_type();
    return n;
}

NodePtr complex_lit(double re, double im) {
    NodePtr n = make_node(NodeKind::Complex, {1, 8});
    n->fval = re;
    n->fimag = im;
    n->type = weak_complex_type();
    return n;
}

template <class... Args> NodePtr call(const std::string &name, Args... args) {
    NodePtr n = make_node(NodeKind::Call, {3, 2});
    n->name = name;
    (n->kids.push_back(std::move(args)), ...);
    return n;
}

NodePtr call_types(const std::string &name, const std::vector<TypeRef> &types) {
    NodePtr n = make_node(NodeKind::Call, {3, 2});
    n->name = name;
    for (TypeRef a : types)
        n->kids.push_back(value(a));
    return n;
}

// The result type's NumPy code, or 'x' where typing refuses the call.
char result_code(const std::string &name, const std::vector<TypeRef> &types) {
    NodePtr n = call_types(name, types);
    try {
        TypeRef r = type_builtin(*n);
        return r && r->is_number() ? scalar_char(materialize(r)->scalar) : '!';
    } catch (const CompileError &e) {
        return e.kind == ErrorKind::Typing ? 'x' : '!';
    }
}

std::string error_of(Node &n, ErrorKind *kind = nullptr) {
    try {
        type_builtin(n);
    } catch (const CompileError &e) {
        if (kind)
            *kind = e.kind;
        return e.what();
    }
    return "";
}

// Expected results: np.<f>(np.ones(1, dtype)).dtype.char for the dtypes of kCodes in order
// ('x': NumPy raises), as NumPy 2 gives them.
struct UnaryCase {
    const char *name;
    const char *results;
};
const UnaryCase kUnary[] = {
    {"np.sqrt", "eeeffddddefdFD"},       {"np.cbrt", "eeeffddddefdxx"},
    {"np.exp", "eeeffddddefdFD"},        {"np.exp2", "eeeffddddefdFD"},
    {"np.expm1", "eeeffddddefdFD"},      {"np.log", "eeeffddddefdFD"},
    {"np.log2", "eeeffddddefdFD"},       {"np.log10", "eeeffddddefdFD"},
    {"np.log1p", "eeeffddddefdFD"},      {"np.sin", "eeeffddddefdFD"},
    {"np.cos", "eeeffddddefdFD"},        {"np.tan", "eeeffddddefdFD"},
    {"np.arcsin", "eeeffddddefdFD"},     {"np.arccos", "eeeffddddefdFD"},
    {"np.arctan", "eeeffddddefdFD"},     {"np.sinh", "eeeffddddefdFD"},
    {"np.cosh", "eeeffddddefdFD"},       {"np.tanh", "eeeffddddefdFD"},
    {"np.arcsinh", "eeeffddddefdFD"},    {"np.arccosh", "eeeffddddefdFD"},
    {"np.arctanh", "eeeffddddefdFD"},    {"np.floor", "?bBhHiIlLefdxx"},
    {"np.ceil", "?bBhHiIlLefdxx"},       {"np.trunc", "?bBhHiIlLefdxx"},
    {"np.rint", "eeeffddddefdFD"},       {"np.fabs", "eeeffddddefdxx"},
    {"np.degrees", "eeeffddddefdxx"},    {"np.radians", "eeeffddddefdxx"},
    {"np.sign", "xbBhHiIlLefdFD"},       {"np.square", "bbBhHiIlLefdFD"},
    {"np.reciprocal", "bbBhHiIlLefdFD"}, {"np.negative", "xbBhHiIlLefdFD"},
    {"np.absolute", "?bBhHiIlLefdfd"},   {"np.isnan", "??????????????"},
    {"np.isinf", "??????????????"},      {"np.isfinite", "??????????????"},
    {"np.signbit", "????????????xx"},    {"np.logical_not", "??????????????"},
    {"np.conjugate", "bbBhHiIlLefdFD"},  {"np.positive", "xbBhHiIlLefdFD"},
    {"np.round", "ebBhHiIlLefdFD"},      {"np.angle", "deeffddddefdfd"},
    {"np.real", "?bBhHiIlLefdfd"},       {"np.imag", "?bBhHiIlLefdfd"},
    {"np.fix", "?bBhHiIlLefdxx"},        {"np.abs", "?bBhHiIlLefdfd"},
    {"np.arcsin", "eeeffddddefdFD"},     {"np.asinh", "eeeffddddefdFD"},
    {"np.conj", "bbBhHiIlLefdFD"},       {"np.deg2rad", "eeeffddddefdxx"},
};

// np.<f>(np.ones(1, a), np.ones(1, b)).dtype.char: one row per `a` of kCodes, one column per `b`.
struct BinaryCase {
    const char *name;
    const char *rows;
};
const BinaryCase kBinary[] = {
    {"np.arctan2", "eeeffddddefdxx eeeffddddefdxx eeeffddddefdxx fffffddddffdxx fffffddddffdxx "
                   "ddddddddddddxx ddddddddddddxx ddddddddddddxx ddddddddddddxx eeeffddddefdxx "
                   "fffffddddffdxx ddddddddddddxx xxxxxxxxxxxxxx xxxxxxxxxxxxxx"},
    {"np.power", "bbBhHiIlLefdFD bbhhiilldefdFD BhBhHiIlLefdFD hhhhiilldffdFD HiHiHiIlLffdFD "
                 "iiiiiillddddDD IlIlIlIlLdddDD llllllllddddDD LdLdLdLdLdddDD eeeffddddefdFD "
                 "fffffddddffdFD ddddddddddddDD FFFFFDDDDFFDFD DDDDDDDDDDDDDD"},
    {"np.fmod", "bbBhHiIlLefdxx bbhhiilldefdxx BhBhHiIlLefdxx hhhhiilldffdxx HiHiHiIlLffdxx "
                "iiiiiillddddxx IlIlIlIlLdddxx llllllllddddxx LdLdLdLdLdddxx eeeffddddefdxx "
                "fffffddddffdxx ddddddddddddxx xxxxxxxxxxxxxx xxxxxxxxxxxxxx"},
    {"np.true_divide", "dddddddddefdFD dddddddddefdFD dddddddddefdFD dddddddddffdFD "
                       "dddddddddffdFD ddddddddddddDD ddddddddddddDD ddddddddddddDD "
                       "ddddddddddddDD eeeffddddefdFD fffffddddffdFD ddddddddddddDD "
                       "FFFFFDDDDFFDFD DDDDDDDDDDDDDD"},
    {"np.maximum", "?bBhHiIlLefdFD bbhhiilldefdFD BhBhHiIlLefdFD hhhhiilldffdFD HiHiHiIlLffdFD "
                   "iiiiiillddddDD IlIlIlIlLdddDD llllllllddddDD LdLdLdLdLdddDD eeeffddddefdFD "
                   "fffffddddffdFD ddddddddddddDD FFFFFDDDDFFDFD DDDDDDDDDDDDDD"},
    {"np.float_power", "ddddddddddddDD ddddddddddddDD ddddddddddddDD ddddddddddddDD "
                       "ddddddddddddDD ddddddddddddDD ddddddddddddDD ddddddddddddDD "
                       "ddddddddddddDD ddddddddddddDD ddddddddddddDD ddddddddddddDD "
                       "DDDDDDDDDDDDDD DDDDDDDDDDDDDD"},
    {"np.subtract", "xbBhHiIlLefdFD bbhhiilldefdFD BhBhHiIlLefdFD hhhhiilldffdFD HiHiHiIlLffdFD "
                    "iiiiiillddddDD IlIlIlIlLdddDD llllllllddddDD LdLdLdLdLdddDD eeeffddddefdFD "
                    "fffffddddffdFD ddddddddddddDD FFFFFDDDDFFDFD DDDDDDDDDDDDDD"},
    {"np.ldexp", "eeeeeeeexxxxxx eeeeeeeexxxxxx eeeeeeeexxxxxx ffffffffxxxxxx ffffffffxxxxxx "
                 "ddddddddxxxxxx ddddddddxxxxxx ddddddddxxxxxx ddddddddxxxxxx eeeeeeeexxxxxx "
                 "ffffffffxxxxxx ddddddddxxxxxx xxxxxxxxxxxxxx xxxxxxxxxxxxxx"},
};

} // namespace

TEST(TypingBuiltins, UnaryUfuncResultTypesMatchNumPy) {
    for (const UnaryCase &c : kUnary)
        for (int i = 0; i < kNumScalars; ++i)
            EXPECT_EQ(result_code(c.name, {code_type(kCodes[i])}), c.results[i])
                << c.name << "(" << kCodes[i] << ")";
}

TEST(TypingBuiltins, BinaryUfuncResultTypesMatchNumPy) {
    for (const BinaryCase &c : kBinary) {
        std::string rows = c.rows;
        for (int a = 0; a < kNumScalars; ++a)
            for (int b = 0; b < kNumScalars; ++b)
                EXPECT_EQ(result_code(c.name, {code_type(kCodes[a]), code_type(kCodes[b])}),
                          rows[a * (kNumScalars + 1) + b])
                    << c.name << "(" << kCodes[a] << ", " << kCodes[b] << ")";
    }
}

TEST(TypingBuiltins, ArgumentsAreCastToTheLoopTypes) {
    NodePtr n = call_types("np.sqrt", {t(Scalar::Int16)});
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->builtin, static_cast<int>(Builtin::Sqrt));
    EXPECT_EQ(n->type, t(Scalar::Float32));
    ASSERT_EQ(n->kid(0)->kind, NodeKind::Cast);
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Float32));
    EXPECT_EQ(n->kid(0)->kid(0)->kind, NodeKind::Name);

    n = call_types("np.sqrt", {t(Scalar::Float64)});
    type_builtin(*n);
    EXPECT_EQ(n->kid(0)->kind, NodeKind::Name); // no cast when the type already fits

    n = call_types("np.ldexp", {t(Scalar::Float32), t(Scalar::Int8)});
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->kid(1)->type, t(Scalar::Int32));

    n = call_types("np.absolute", {t(Scalar::Complex64)});
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Complex64));
}

TEST(TypingBuiltins, WeakLiteralsFollowNep50) {
    NodePtr n = call("np.arctan2", value(t(Scalar::Int8)), int_lit(2));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float16));
    EXPECT_EQ(n->kid(1)->kind, NodeKind::Int); // the literal is retyped, not wrapped
    EXPECT_EQ(n->kid(1)->type, t(Scalar::Float16));

    n = call("np.arctan2", value(t(Scalar::Int8)), float_lit(2.0));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float64));
    n = call("np.power", value(t(Scalar::Float32)), int_lit(2));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    n = call("np.power", value(t(Scalar::Float32)), complex_lit(0, 1));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Complex64));
    n = call("np.ldexp", value(t(Scalar::Float32)), int_lit(3));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->kid(1)->type, t(Scalar::Int64));
    n = call("np.ldexp", float_lit(2.0), int_lit(3));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float64));
    n = call("np.sqrt", int_lit(2));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float64));
    n = call("np.maximum", value(t(Scalar::Int8)), float_lit(2.5));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float64));
    n = call("np.heaviside", value(t(Scalar::UInt8)), float_lit(0.5));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float64));
    n = call("np.maximum", value(t(Scalar::Float16)), complex_lit(0, 2));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Complex64));
    n = call("np.true_divide", value(t(Scalar::Int8)), int_lit(2));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float64));
    // NumPy 2 refuses a Python int that does not fit the other operand's dtype.
    n = call("np.maximum", value(t(Scalar::UInt8)), int_lit(-1));
    EXPECT_NE(error_of(*n).find("out of bounds for uint8"), std::string::npos);
}

TEST(TypingBuiltins, MathComputesInFloat64) {
    NodePtr n = call_types("math.sqrt", {t(Scalar::Int32)});
    EXPECT_EQ(type_builtin(*n), weak_float_type()); // a Python float: computed in float64
    EXPECT_EQ(n->builtin, static_cast<int>(Builtin::Sqrt));
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Float64));
    EXPECT_EQ(result_code("math.sin", {t(Scalar::Float32)}), 'd');
    EXPECT_EQ(result_code("math.erf", {t(Scalar::Float16)}), 'd');
    EXPECT_EQ(result_code("math.gamma", {t(Scalar::UInt64)}), 'd');
    EXPECT_EQ(result_code("math.atan2", {t(Scalar::Float32), t(Scalar::Int8)}), 'd');
    EXPECT_EQ(result_code("math.isnan", {t(Scalar::Float32)}), '?');
    EXPECT_EQ(result_code("math.isinf", {t(Scalar::Int8)}), '?');
    EXPECT_EQ(result_code("math.pow", {t(Scalar::Int8), t(Scalar::Int8)}), 'd');
    EXPECT_EQ(result_code("math.log", {t(Scalar::Int8), t(Scalar::Int8)}), 'd');
    EXPECT_EQ(result_code("math.sqrt", {t(Scalar::Complex128)}), 'x');
    EXPECT_EQ(result_code("math.isnan", {t(Scalar::Complex64)}), 'x');
    EXPECT_EQ(result_code("math.ldexp", {t(Scalar::Float32), t(Scalar::Float32)}), 'x');

    // math.floor returns an int, and keeps an int argument an int.
    n = call_types("math.floor", {t(Scalar::Float32)});
    EXPECT_EQ(type_builtin(*n), weak_int_type());
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Float64));
    n = call_types("math.trunc", {t(Scalar::UInt8)});
    EXPECT_EQ(type_builtin(*n), weak_int_type());
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Int64));

    n = call_types("math.ldexp", {t(Scalar::Float32), t(Scalar::Int8)});
    EXPECT_EQ(type_builtin(*n), weak_float_type());
    EXPECT_EQ(n->kid(1)->type, t(Scalar::Int64));

    n = call_types("math.sqrt", {t(Scalar::Complex64)});
    EXPECT_EQ(error_of(*n), "math.sqrt() argument must be a real number, not complex64");
}

TEST(TypingBuiltins, CmathComputesInComplex128) {
    NodePtr n = call_types("cmath.sqrt", {t(Scalar::Float32)});
    EXPECT_EQ(type_builtin(*n), weak_complex_type());
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Complex128));
    EXPECT_EQ(result_code("cmath.exp", {t(Scalar::Complex64)}), 'D');
    EXPECT_EQ(result_code("cmath.log", {t(Scalar::Complex64), t(Scalar::Int8)}), 'D');
    EXPECT_EQ(result_code("cmath.phase", {t(Scalar::Complex64)}), 'd');
    EXPECT_EQ(result_code("cmath.isnan", {t(Scalar::Complex64)}), '?');
    EXPECT_EQ(result_code("cmath.rect", {t(Scalar::Float32), t(Scalar::Int8)}), 'D');
    EXPECT_EQ(result_code("cmath.rect", {t(Scalar::Complex64), t(Scalar::Int8)}), 'x');

    n = call_types("cmath.polar", {t(Scalar::Complex64)});
    EXPECT_EQ(type_builtin(*n), tuple_type({weak_float_type(), weak_float_type()}));
    EXPECT_EQ(n->builtin, static_cast<int>(Builtin::Polar));
}

TEST(TypingBuiltins, PythonBuiltins) {
    EXPECT_EQ(result_code("abs", {t(Scalar::Int8)}), 'b');
    EXPECT_EQ(result_code("abs", {t(Scalar::Complex64)}), 'f');
    EXPECT_EQ(result_code("min", {t(Scalar::Int8), t(Scalar::UInt8)}), 'h');
    EXPECT_EQ(result_code("max", {t(Scalar::Float32), t(Scalar::Int64), t(Scalar::Int8)}), 'd');
    EXPECT_EQ(result_code("max", {t(Scalar::Complex64), t(Scalar::Float32)}), 'x');
    EXPECT_EQ(result_code("round", {t(Scalar::Float32)}), 'l');
    EXPECT_EQ(result_code("round", {t(Scalar::Float32), t(Scalar::Int8)}), 'f');
    EXPECT_EQ(result_code("round", {t(Scalar::Int8), t(Scalar::Int64)}), 'b');
    EXPECT_EQ(result_code("round", {t(Scalar::Float32), t(Scalar::Float32)}), 'x');
    EXPECT_EQ(result_code("round", {t(Scalar::Complex128)}), 'x');
    EXPECT_EQ(result_code("int", {t(Scalar::Float32)}), 'l');
    EXPECT_EQ(result_code("int", {t(Scalar::Complex64)}), 'x');
    EXPECT_EQ(result_code("float", {t(Scalar::UInt64)}), 'd');
    EXPECT_EQ(result_code("bool", {t(Scalar::Complex64)}), '?');
    EXPECT_EQ(result_code("complex", {t(Scalar::Int8), t(Scalar::Float32)}), 'D');
    EXPECT_EQ(result_code("complex", {t(Scalar::Complex64)}), 'D');
    EXPECT_EQ(result_code("complex", {t(Scalar::Complex64), t(Scalar::Float32)}), 'x');
    EXPECT_EQ(result_code("pow", {t(Scalar::Int8), t(Scalar::Int8)}), 'b');
    EXPECT_EQ(result_code("pow", {t(Scalar::Float32), t(Scalar::Int64)}), 'd');

    NodePtr n = call("min", value(t(Scalar::Float32)), int_lit(1));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->kid(1)->type, t(Scalar::Float32));
    n = call("abs", int_lit(-3));
    EXPECT_EQ(type_builtin(*n), weak_int_type());
    n = call_types("int", {t(Scalar::Float32)});
    type_builtin(*n);
    EXPECT_EQ(n->kid(0)->kind, NodeKind::Name); // converted by the builtin itself
    n = call("float", int_lit(3));
    type_builtin(*n);
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Int64)); // a literal argument gets its default dtype
    n = call_types("complex", {t(Scalar::Int8), t(Scalar::Float32)});
    type_builtin(*n);
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Float64));
    EXPECT_EQ(n->kid(1)->type, t(Scalar::Float64));
    n = call_types("divmod", {t(Scalar::Int8), t(Scalar::Int16)});
    EXPECT_EQ(type_builtin(*n), tuple_type({t(Scalar::Int16), t(Scalar::Int16)}));
    n = call("divmod", int_lit(7), float_lit(2.0));
    EXPECT_EQ(type_builtin(*n), tuple_type({weak_float_type(), weak_float_type()}));
    n = call_types("range", {t(Scalar::Int8)});
    EXPECT_EQ(type_builtin(*n), range_type());
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Int64));
    EXPECT_EQ(result_code("range", {t(Scalar::Float64)}), 'x');
}

TEST(TypingBuiltins, PythonNumbersAreWeak) {
    // What Python itself returns as int/float/complex is a weak literal type (NEP 50); NumPy
    // scalars going in make NumPy scalars come out.
    auto type_of = [](NodePtr n) { return type_builtin(*n); };
    EXPECT_EQ(type_of(call_types("int", {t(Scalar::Float32)})), weak_int_type());
    EXPECT_EQ(type_of(call_types("float", {t(Scalar::Int8)})), weak_float_type());
    EXPECT_EQ(type_of(call_types("complex", {t(Scalar::Int8)})), weak_complex_type());
    EXPECT_EQ(type_of(call_types("round", {t(Scalar::Float32)})), weak_int_type());
    EXPECT_EQ(type_of(call_types("round", {t(Scalar::Float32), t(Scalar::Int64)})),
              t(Scalar::Float32));
    EXPECT_EQ(type_of(call("round", float_lit(2.5), int_lit(1))), weak_float_type());
    EXPECT_EQ(type_of(call_types("abs", {t(Scalar::Int8)})), t(Scalar::Int8));
    EXPECT_EQ(type_of(call("min", int_lit(1), float_lit(2.5))), weak_float_type());
    EXPECT_EQ(type_of(call("min", int_lit(1), value(t(Scalar::Int8)))), t(Scalar::Int8));
    EXPECT_EQ(type_of(call("pow", int_lit(2), int_lit(10))), weak_int_type());
    EXPECT_EQ(type_of(call_types("bool", {t(Scalar::Float32)})), t(Scalar::Bool));
    EXPECT_EQ(type_of(call_types("math.isnan", {t(Scalar::Float32)})), t(Scalar::Bool));
    EXPECT_EQ(type_of(call_types("cmath.phase", {t(Scalar::Float32)})), weak_float_type());
    EXPECT_EQ(type_of(call("np.sqrt", float_lit(2.0))), t(Scalar::Float64)); // np.float64
    NodePtr real = make_node(NodeKind::Attr, {2, 0});
    real->name = "real";
    real->kids.push_back(complex_lit(1.5, 2));
    EXPECT_EQ(type_builtin(*real), weak_float_type());
}

TEST(TypingBuiltins, InferenceMaterializesPythonNumbers) {
    using test::infer;
    using test::kernel;
    // float32 * (a Python float) stays float32; the call itself computes in float64.
    TypedProgram p = infer(kernel("x y", "(return (binop * (name x) (call math.sqrt (name y))))"),
                           "float32, float32");
    EXPECT_EQ(p.functions[0].ret, t(Scalar::Float32));
    test::expect_concrete(*p.functions[0].func);
    const Node *sqrt = test::find(*p.functions[0].func, NodeKind::Call);
    ASSERT_NE(sqrt, nullptr);
    EXPECT_EQ(sqrt->type, t(Scalar::Float64));
    EXPECT_EQ(sqrt->kid(0)->type, t(Scalar::Float64));
    p = infer(kernel("x", "(return (call math.floor (name x)))"), "float32");
    EXPECT_EQ(p.functions[0].ret, t(Scalar::Int64));
    p = infer(kernel("x y", "(return (binop + (call int (name x)) (name y)))"), "float64, int8");
    EXPECT_EQ(p.functions[0].ret, t(Scalar::Int8));
    p = infer(kernel("x", "(return (call cmath.polar (name x)))"), "complex64");
    EXPECT_EQ(p.functions[0].ret, tuple_type({t(Scalar::Float64), t(Scalar::Float64)}));
    test::expect_concrete(*p.functions[0].func);
}

TEST(TypingBuiltins, DtypeConstructors) {
    NodePtr n = call_types("np.float32", {t(Scalar::Float64)});
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->builtin, static_cast<int>(Builtin::DtypeCast));
    EXPECT_EQ(n->kid(0)->kind, NodeKind::Name);
    n = call("np.float32", float_lit(0.1));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Float32));
    n = call("np.complex64", float_lit(1.0), int_lit(2));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Complex64));
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Float32));
    EXPECT_EQ(n->kid(1)->type, t(Scalar::Float32));
    EXPECT_EQ(result_code("np.intp", {t(Scalar::Float32)}), 'l');
    EXPECT_EQ(result_code("np.uintc", {t(Scalar::Float32)}), 'I');
    EXPECT_EQ(result_code("np.half", {t(Scalar::Int8)}), 'e');
    EXPECT_EQ(result_code("np.cdouble", {t(Scalar::Int8)}), 'D');
    EXPECT_EQ(result_code("np.bool_", {t(Scalar::Complex64)}), '?');
    EXPECT_EQ(result_code("np.int8", {t(Scalar::Int8), t(Scalar::Int8)}), 'x');
    n = call("np.uint8", int_lit(300));
    EXPECT_NE(error_of(*n).find("out of bounds for uint8"), std::string::npos);
}

TEST(TypingBuiltins, SpecialNumPyRules) {
    NodePtr n = call("np.where", value(t(Scalar::Int8)), value(t(Scalar::Float32)), int_lit(2));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Bool));
    EXPECT_EQ(n->kid(2)->type, t(Scalar::Float32));
    n = call("np.clip", value(t(Scalar::Int8)), int_lit(0), int_lit(3));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Int8));
    n = call("np.clip", value(t(Scalar::Float32)), int_lit(0), float_lit(1.5));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(result_code("np.clip", {t(Scalar::Complex64), t(Scalar::Int8), t(Scalar::Int8)}),
              '!'); // unsupported
    n = call("np.round", value(t(Scalar::Float32)), int_lit(2));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->kid(1)->type, t(Scalar::Int64));
    EXPECT_EQ(result_code("np.logical_and", {t(Scalar::Float32), t(Scalar::Complex64)}), '?');
    n = call_types("np.logical_xor", {t(Scalar::Float32), t(Scalar::Int8)});
    type_builtin(*n);
    EXPECT_EQ(n->kid(0)->type, t(Scalar::Bool));
    EXPECT_EQ(n->kid(1)->type, t(Scalar::Bool));
    EXPECT_EQ(result_code("np.mod", {t(Scalar::Int8), t(Scalar::Int8)}), 'b');
    EXPECT_EQ(result_code("np.divide", {t(Scalar::Float16), t(Scalar::Int8)}), 'e');
    EXPECT_EQ(result_code("np.heaviside", {t(Scalar::Int8), t(Scalar::Int8)}), 'e');
    EXPECT_EQ(result_code("np.add", {t(Scalar::Bool), t(Scalar::Bool)}), '?');
    EXPECT_EQ(result_code("np.multiply", {t(Scalar::Int8), t(Scalar::UInt8)}), 'h');
}

TEST(TypingBuiltins, MembersOfNumbers) {
    auto member = [](NodeKind kind, const char *name, TypeRef obj) {
        NodePtr n = make_node(kind, {2, 0});
        n->name = name;
        n->kids.push_back(value(obj));
        return n;
    };
    NodePtr n = member(NodeKind::Attr, "real", t(Scalar::Complex64));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Float32));
    EXPECT_EQ(n->builtin, static_cast<int>(Builtin::Real));
    n = member(NodeKind::Attr, "imag", t(Scalar::Int16));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Int16));
    EXPECT_EQ(n->builtin, static_cast<int>(Builtin::Imag));
    n = member(NodeKind::Method, "conjugate", t(Scalar::Complex128));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Complex128));
    EXPECT_EQ(n->builtin, static_cast<int>(Builtin::Conjugate));
    n = member(NodeKind::Method, "conjugate", t(Scalar::Bool));
    EXPECT_EQ(type_builtin(*n), t(Scalar::Bool));
    n = member(NodeKind::Attr, "shape", t(Scalar::Float64));
    EXPECT_EQ(type_builtin(*n), nullptr);
    n = member(NodeKind::Attr, "real", tuple_type({t(Scalar::Float64)}));
    EXPECT_EQ(type_builtin(*n), nullptr);
    n = member(NodeKind::Method, "conjugate", t(Scalar::Float64));
    n->kids.push_back(value(t(Scalar::Float64)));
    EXPECT_EQ(error_of(*n), "conjugate() takes 0 arguments (1 given)");
}

TEST(TypingBuiltins, NamesAndErrors) {
    EXPECT_TRUE(is_builtin_name("abs"));
    EXPECT_TRUE(is_builtin_name("np.sqrt"));
    EXPECT_TRUE(is_builtin_name("np.fft.fft"));
    EXPECT_TRUE(is_builtin_name("math.factorial"));
    EXPECT_TRUE(is_builtin_name("cmath.nothing"));
    EXPECT_FALSE(is_builtin_name("print"));
    EXPECT_FALSE(is_builtin_name("numpy_like"));

    NodePtr n = call_types("print", {t(Scalar::Float64)});
    EXPECT_EQ(type_builtin(*n), nullptr);

    ErrorKind kind = ErrorKind::Internal;
    n = call_types("np.fft.fft", {t(Scalar::Float64)});
    EXPECT_EQ(error_of(*n, &kind), "np.fft.fft is not supported in kernels");
    EXPECT_EQ(kind, ErrorKind::Unsupported);
    n = call_types("np.longdouble", {t(Scalar::Float64)});
    error_of(*n, &kind);
    EXPECT_EQ(kind, ErrorKind::Unsupported);
    n = call_types("len", {t(Scalar::Float64)});
    EXPECT_EQ(error_of(*n, &kind), "object of type 'float64' has no len()");
    EXPECT_EQ(kind, ErrorKind::Typing);
    n = call_types("pow", {t(Scalar::Int64), t(Scalar::Int64), t(Scalar::Int64)});
    error_of(*n, &kind);
    EXPECT_EQ(kind, ErrorKind::Unsupported);
    n = call_types("min", {t(Scalar::Int64)});
    error_of(*n, &kind);
    EXPECT_EQ(kind, ErrorKind::Unsupported);

    n = call_types("np.sqrt", {t(Scalar::Float64), t(Scalar::Float64)});
    EXPECT_EQ(error_of(*n, &kind), "np.sqrt() takes 1 argument (2 given)");
    EXPECT_EQ(kind, ErrorKind::Typing);
    n = call_types("max", {});
    EXPECT_EQ(error_of(*n), "max() takes at least 2 arguments (0 given)");
    n = call_types("np.cbrt", {t(Scalar::Complex64)});
    EXPECT_EQ(error_of(*n), "np.cbrt() does not support arguments of type (complex64)");
    n = call_types("np.sqrt", {tuple_type({t(Scalar::Float64)})});
    EXPECT_EQ(error_of(*n), "np.sqrt() argument must be a number, not Tuple(float64)");
    n = call("math.sqrt", complex_lit(0, 1));
    EXPECT_EQ(error_of(*n), "math.sqrt() argument must be a real number, not complex");
    n = call("np.ldexp", float_lit(1.0), float_lit(2.0));
    EXPECT_EQ(error_of(*n), "np.ldexp() does not support arguments of type (float, float)");
    n = call_types("np.negative", {t(Scalar::Bool)});
    EXPECT_NE(error_of(*n).find("logical_not"), std::string::npos);

    // Errors point at the call.
    n = call_types("np.sqrt", {t(Scalar::Float64), t(Scalar::Float64)});
    try {
        type_builtin(*n);
        ADD_FAILURE() << "no error";
    } catch (const CompileError &e) {
        EXPECT_EQ(e.loc.line, 3);
        EXPECT_EQ(e.loc.col, 2);
    }
}

TEST(TypingBuiltins, EveryCanonicalNameIsTyped) {
    // Each builtin's own name resolves to it (Range and Len aside, typed elsewhere or refused).
    for (int i = 0; i <= static_cast<int>(Builtin::FloatPower); ++i) {
        auto b = static_cast<Builtin>(i);
        std::string name = builtin_name(b);
        if (b == Builtin::DtypeCast || b == Builtin::Len)
            continue;
        EXPECT_TRUE(is_builtin_name(name)) << name;
        std::vector<TypeRef> args(1, t(Scalar::Float64));
        if (b == Builtin::Where || b == Builtin::Clip)
            args.assign(3, t(Scalar::Float64));
        else if (b == Builtin::Rect || b == Builtin::Min || b == Builtin::Max ||
                 b == Builtin::Divmod || b == Builtin::Pow || b == Builtin::Range ||
                 b == Builtin::LogicalAnd || b == Builtin::LogicalOr || b == Builtin::LogicalXor ||
                 (!ufunc_loops(b).empty() && ufunc_loops(b)[0].ins.size() == 2))
            args.assign(2, t(b == Builtin::Range ? Scalar::Int64 : Scalar::Float64));
        if (b == Builtin::Ldexp)
            args[1] = t(Scalar::Int32);
        if (b == Builtin::Polar)
            args[0] = t(Scalar::Complex128);
        NodePtr n = call_types(name, args);
        EXPECT_NO_THROW(type_builtin(*n)) << name;
        EXPECT_EQ(n->builtin, i) << name;
    }
}
