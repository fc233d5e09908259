// The tree IR shared by every stage: the front end writes it (as text, see ir/text.h), type
// inference annotates it in place, codegen lowers it to LLVM IR. One node struct; what its
// fields mean depends on its kind, listed once below.
#pragma once

#include "ir/types.h"
#include "support/error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lj {

// X(Kind, text-name). Children (kids) and fields per kind:
//
// Expressions
//   Int        ival                                    Python int literal (weak)
//   Float      fval                                    Python float literal (weak)
//   Complex    fval (real), fimag                      Python complex literal (weak)
//   Bool       ival (0/1)
//   NoneLit
//   Name       name                                    a local variable or parameter
//   BinOp      op; [lhs, rhs]                          + - * / // % ** @ & | ^ << >>
//   Unary      op; [operand]                           - + ~ not
//   Compare    op; [lhs, rhs]                          < <= > >= == != is is-not
//   And, Or    [a, b]                                  Python short-circuit, value-returning
//   IfExp      [cond, then, else]
//   Call       name = callee; kids = args              "math.sqrt", "np.where", "abs",
//                                                      "np.float32", "@helper" (module func)
//   Method     name = method; [obj, args...]           z.conjugate()
//   Tuple      kids = elements
//   GetItem    [obj, index]                            tuple[i] (constant i); array[i, j:k]
//                                                      (index: an expression, Slice or Tuple;
//                                                      typing flattens it: [obj, idx...])
//   Slice      [start, stop, step]                     a[1:n:2]: only as a GetItem index or
//                                                      a Tuple element of one; NoneLit for
//                                                      a missing part (a[:n], a[::2])
//   Attr       name = attribute; [obj]                 z.real, a.shape
//   SetExpr    name = variable; [value]                walrus; also chained-compare temps
//   DType      name = dtype ("float32")                a dtype= argument (np.zeros(n, dtype=..))
//   StencilRead [array, offset..., center...]          a[i, j] in a stencil kernel: the element
//                                                      at center + offset (one per dimension);
//                                                      only made by the stencil compiler
//   Cast       [value]; type = target                  only inserted by type inference
//
// Statements
//   Block      kids = statements
//   Assign     [target, value]                         target: Name, Tuple of targets, GetItem
//   AugAssign  op; [target, value]
//   If         [cond, then Block, else Block]
//   While      [cond, body Block, else Block]
//   For        [target, iterable, body Block, else Block]   iterable: Call range/prange, array
//   Break, Continue, Pass
//   Return     [] or [value]
//   ExprStmt   [value]
//
// Top level
//   Params     kids = Name nodes
//   Func       name = function name; [Params, Block]
//   Module     kids = Funcs; kids[0] is the entry point, "@name" calls refer to the others
#define LJ_NODE_KINDS(X)                                                                         \
    X(Int, "int")                                                                                \
    X(Float, "float")                                                                            \
    X(Complex, "complex")                                                                        \
    X(Bool, "bool")                                                                              \
    X(NoneLit, "none")                                                                           \
    X(Name, "name")                                                                              \
    X(BinOp, "binop")                                                                            \
    X(Unary, "unary")                                                                            \
    X(Compare, "cmp")                                                                            \
    X(And, "and")                                                                                \
    X(Or, "or")                                                                                  \
    X(IfExp, "ifexp")                                                                            \
    X(Call, "call")                                                                              \
    X(Method, "method")                                                                          \
    X(Tuple, "tuple")                                                                            \
    X(GetItem, "getitem")                                                                        \
    X(Slice, "slice")                                                                            \
    X(Attr, "attr")                                                                              \
    X(SetExpr, "setexpr")                                                                        \
    X(DType, "dtype")                                                                            \
    X(StencilRead, "stencilread")                                                                \
    X(Cast, "cast")                                                                              \
    X(Block, "block")                                                                            \
    X(Assign, "assign")                                                                          \
    X(AugAssign, "augassign")                                                                    \
    X(If, "if")                                                                                  \
    X(While, "while")                                                                            \
    X(For, "for")                                                                                \
    X(Break, "break")                                                                            \
    X(Continue, "continue")                                                                      \
    X(Pass, "pass")                                                                              \
    X(Return, "return")                                                                          \
    X(ExprStmt, "expr")                                                                          \
    X(Params, "params")                                                                          \
    X(Func, "func")                                                                              \
    X(Module, "module")

enum class NodeKind : uint8_t {
#define LJ_X(kind, text) kind,
    LJ_NODE_KINDS(LJ_X)
#undef LJ_X
};

// X(Op, text). Text is the Python spelling, except unary "neg"/"pos" and "is-not".
#define LJ_OPS(X)                                                                                \
    X(None, "")                                                                                  \
    X(Add, "+")                                                                                  \
    X(Sub, "-")                                                                                  \
    X(Mul, "*")                                                                                  \
    X(Div, "/")                                                                                  \
    X(FloorDiv, "//")                                                                            \
    X(Mod, "%")                                                                                  \
    X(Pow, "**")                                                                                 \
    X(MatMul, "@")                                                                               \
    X(BitAnd, "&")                                                                               \
    X(BitOr, "|")                                                                                \
    X(BitXor, "^")                                                                               \
    X(LShift, "<<")                                                                              \
    X(RShift, ">>")                                                                              \
    X(Neg, "neg")                                                                                \
    X(Pos, "pos")                                                                                \
    X(Invert, "~")                                                                               \
    X(Not, "not")                                                                                \
    X(Lt, "<")                                                                                   \
    X(Le, "<=")                                                                                  \
    X(Gt, ">")                                                                                   \
    X(Ge, ">=")                                                                                  \
    X(Eq, "==")                                                                                  \
    X(Ne, "!=")                                                                                  \
    X(Is, "is")                                                                                  \
    X(IsNot, "is-not")

enum class Op : uint8_t {
#define LJ_X(op, text) op,
    LJ_OPS(LJ_X)
#undef LJ_X
};

const char *node_kind_name(NodeKind k);
const char *op_text(Op op);

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Node {
    NodeKind kind;
    Op op = Op::None;
    SourceLoc loc;
    std::string name;  // Name/SetExpr: variable; Call: callee; Method/Attr: member; Func: name
    int64_t ival = 0;  // Int, Bool
    double fval = 0;   // Float; Complex real part
    double fimag = 0;  // Complex imaginary part
    std::vector<NodePtr> kids;

    // Filled by type inference (see typing/infer.h for the contract).
    TypeRef type = nullptr; // the value's type (expressions), the Cast target, a Func's return
    int slot = -1;          // Name/SetExpr: index into the function's locals; Call "@f": callee
    int builtin = -1;       // Call/Method/Attr: the resolved typing::Builtin

    Node(NodeKind kind, SourceLoc loc) : kind(kind), loc(loc) {}
    Node *kid(size_t i) const { return kids[i].get(); }
    NodePtr clone() const;
};

NodePtr make_node(NodeKind kind, SourceLoc loc, std::vector<NodePtr> kids = {});

} // namespace lj
