#include "loopnest/cost.h"

#include "typing/builtins.h"

#include <algorithm>

namespace lj {
namespace {

// Weights, in units of one streaming a * b + c (which is memory bound: ~3 loads/stores of 8
// bytes). Arithmetic hides behind memory traffic; divisions and vector math calls do not.
constexpr double kArith = 0.1;
constexpr double kDivide = 0.5;
constexpr double kMathCall = 4.0;   // a libmvec exp/sin/log per element, vectorized
constexpr double kLoopTrips = kLoopTripsGuess;

bool is_cheap_builtin(int b) {
    switch (static_cast<Builtin>(b)) {
    case Builtin::Abs:
    case Builtin::Min:
    case Builtin::Max:
    case Builtin::Int:
    case Builtin::Float:
    case Builtin::BoolCast:
    case Builtin::DtypeCast:
    case Builtin::Where:
    case Builtin::Fabs:
    case Builtin::Absolute:
    case Builtin::Real:
    case Builtin::Imag:
    case Builtin::Conjugate:
    case Builtin::IsNan:
    case Builtin::IsInf:
    case Builtin::IsFinite:
    case Builtin::Signbit:
    case Builtin::Copysign:
    case Builtin::Maximum:
    case Builtin::Minimum:
    case Builtin::Fmax:
    case Builtin::Fmin:
    case Builtin::Floor:
    case Builtin::Ceil:
    case Builtin::Trunc:
    case Builtin::Rint:
    case Builtin::Square:
    case Builtin::Negative:
    case Builtin::Sign:
    case Builtin::Clip:
        return true;
    default:
        return false;
    }
}

double node_cost(const Node &n, const TypedProgram &prog, int depth) {
    double own = 0;
    double factor = 1;
    switch (n.kind) {
    case NodeKind::BinOp:
    case NodeKind::AugAssign:
        own = (n.op == Op::Div || n.op == Op::FloorDiv || n.op == Op::Mod) ? kDivide
              : n.op == Op::Pow                                           ? kMathCall
                                                                          : kArith;
        break;
    case NodeKind::Unary:
    case NodeKind::Compare:
    case NodeKind::Cast:
        own = kArith;
        break;
    case NodeKind::Call:
    case NodeKind::Method:
        if (n.slot >= 0 && n.name.size() && n.name[0] == '@' && depth < 8 &&
            static_cast<size_t>(n.slot) < prog.functions.size())
            own = node_cost(*prog.functions[n.slot].func, prog, depth + 1);
        else if (n.builtin >= 0)
            own = is_cheap_builtin(n.builtin) ? kArith : kMathCall;
        break;
    case NodeKind::For:
    case NodeKind::While:
        factor = kLoopTrips;
        break;
    default:
        break;
    }
    double kids = 0;
    for (const auto &k : n.kids)
        kids += node_cost(*k, prog, depth);
    return own + factor * kids;
}

} // namespace

double estimate_cost(const TypedProgram &prog) {
    if (prog.functions.empty())
        return 1;
    // Loads and stores of the operands themselves: the streaming baseline.
    return std::max(1.0, 1.0 + node_cost(*prog.functions[0].func, prog, 0));
}

} // namespace lj
