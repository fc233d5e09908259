// NumPy's ufunc loop tables (as `np.<ufunc>.types` lists them) and its linear loop search.
#include "typing/ufunc_loops.h"

#include "support/error.h"
#include "typing/promote.h"

#include <map>
#include <string>

namespace lj {
namespace {

// NumPy's one-character type codes ("?bBhHiIlLefdFD").
Scalar from_code(char c) {
    for (int i = 0; i < kNumScalars; ++i)
        if (scalar_char(static_cast<Scalar>(i)) == c)
            return static_cast<Scalar>(i);
    throw CompileError(ErrorKind::Internal, std::string("bad type code in a loop table: ") + c);
}

// "ee>e ff>f" -> loops. ("\?\?>?" is the bool loop, escaped so it is no trigraph.)
std::vector<UfuncLoop> parse_loops(const std::string &spec) {
    std::vector<UfuncLoop> loops;
    size_t i = 0;
    while (i < spec.size()) {
        size_t end = spec.find(' ', i);
        if (end == std::string::npos)
            end = spec.size();
        std::string item = spec.substr(i, end - i);
        UfuncLoop loop;
        size_t arrow = item.find('>');
        for (size_t k = 0; k < arrow; ++k)
            loop.ins.push_back(from_code(item[k]));
        loop.out = from_code(item[arrow + 1]);
        loops.push_back(loop);
        i = end + 1;
    }
    return loops;
}

struct LoopTable {
    std::vector<Builtin> fns;
    std::string spec;
};

// Python's pow and divmod take the tables of np.power and np.divmod; abs that of np.absolute.
std::vector<LoopTable> loop_tables() {
    using B = Builtin;
    const std::string ints1 = "b>b B>B h>h H>H i>i I>I l>l L>L ";
    const std::string ints2 = "bb>b BB>B hh>h HH>H ii>i II>I ll>l LL>L ";
    const std::string floats1 = "e>e f>f d>d ", complex1 = "F>F D>D";
    const std::string floats2 = "ee>e ff>f dd>d ", complex2 = "FF>F DD>D";
    return {
        {{B::Sqrt,  B::Exp,  B::Exp2, B::Expm1, B::Log,   B::Log2,  B::Log10,
          B::Log1p, B::Sin,  B::Cos,  B::Tan,   B::Asin,  B::Acos,  B::Atan,
          B::Sinh,  B::Cosh, B::Tanh, B::Asinh, B::Acosh, B::Atanh, B::Rint},
         floats1 + complex1},
        {{B::Cbrt, B::Fabs, B::Degrees, B::Radians, B::Erf, B::Erfc, B::Gamma, B::Lgamma}, floats1},
        {{B::Floor, B::Ceil, B::Trunc}, "?>? " + ints1 + floats1},
        {{B::Atan2, B::Hypot, B::Copysign, B::Nextafter, B::Logaddexp, B::Logaddexp2, B::Heaviside},
         floats2},
        {{B::Pow, B::Power, B::Subtract}, ints2 + floats2 + complex2},
        {{B::Fmod, B::Remainder, B::FloorDivide, B::Divmod}, ints2 + floats2},
        {{B::TrueDivide}, floats2 + complex2},
        {{B::Ldexp}, "ei>e fi>f el>e fl>f di>d dl>d"},
        {{B::Maximum, B::Minimum, B::Fmax, B::Fmin, B::Add, B::Multiply},
         "\?\?>? " + ints2 + floats2 + complex2},
        {{B::Sign, B::Square, B::Reciprocal, B::Negative, B::Conjugate, B::Positive},
         ints1 + floats1 + complex1},
        {{B::Abs, B::Absolute}, "?>? " + ints1 + floats1 + "F>f D>d"},
        {{B::IsNan, B::IsInf, B::IsFinite},
         "?>? b>? B>? h>? H>? i>? I>? l>? L>? e>? f>? d>? F>? D>?"},
        {{B::Signbit}, "e>? f>? d>?"},
        {{B::FloatPower}, "dd>d DD>D"},
    };
}

const UfuncLoop *linear_search(const std::vector<UfuncLoop> &loops,
                               const std::vector<Scalar> &args) {
    for (const UfuncLoop &loop : loops) {
        if (loop.ins.size() != args.size())
            continue;
        bool fits = true;
        for (size_t i = 0; i < args.size() && fits; ++i)
            fits = can_cast_safely(args[i], loop.ins[i]);
        if (fits)
            return &loop;
    }
    return nullptr;
}

} // namespace

const std::vector<UfuncLoop> &ufunc_loops(Builtin b) {
    static const auto *by_builtin = [] {
        auto *m = new std::map<Builtin, std::vector<UfuncLoop>>();
        for (const LoopTable &t : loop_tables())
            for (Builtin f : t.fns)
                (*m)[f] = parse_loops(t.spec);
        return m;
    }();
    static const std::vector<UfuncLoop> none;
    auto it = by_builtin->find(b);
    return it == by_builtin->end() ? none : it->second;
}

const UfuncLoop *resolve_ufunc_loop(Builtin b, const std::vector<TypeRef> &args) {
    const std::vector<UfuncLoop> &loops = ufunc_loops(b);
    TypeRef common = nullptr;
    bool any_weak = false;
    for (TypeRef a : args) {
        if (!a->is_number())
            return nullptr;
        any_weak |= a->is_weak();
        common = common ? promote(common, a) : a;
    }
    std::vector<Scalar> own;
    for (TypeRef a : args)
        own.push_back(materialize(a)->scalar);
    if (!any_weak)
        return linear_search(loops, own);
    std::vector<Scalar> adopted;
    for (TypeRef a : args)
        adopted.push_back(a->is_weak() ? materialize(common)->scalar : a->scalar);
    if (const UfuncLoop *loop = linear_search(loops, adopted))
        return loop;
    return linear_search(loops, own);
}

} // namespace lj
