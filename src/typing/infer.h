// Type inference: annotates a clone of a module's entry function (and every loopjit function it
// calls, specialized per argument types) for given parameter types.
//
// Contract of the typed IR it returns (codegen relies on it, and does no promotion itself):
//  - Every expression node has a concrete `type` (no weak literal types remain). Literal nodes
//    (Int/Float/Complex/Bool) may carry any scalar type: codegen makes the constant in it.
//  - Implicit conversions are explicit Cast nodes: BinOp operands have the node's type, except
//    Compare (operands share a type, result bool; or, comparing a signed integer with a uint64,
//    which no type holds both of, one int64 and one uint64 operand, compared exactly);
//    `/` on integers casts them to float64.
//    And/Or operands have the node's type. Conditions (If/While/IfExp/not) may be any scalar:
//    codegen tests them for truth (nonzero; NaN is true).
//  - Name/SetExpr nodes have `slot` (index into TypedFunction::locals; params first). The value
//    of an Assign/AugAssign/SetExpr already has the local's type (AugAssign: `op` applied in the
//    local's type). Tuple targets get a value of a tuple type with matching element types.
//  - Return values have the function's return type; a function whose paths return nothing
//    returns none.
//  - Call "@f": `slot` is the callee's index in TypedProgram::functions, args cast to its params.
//    Builtin calls: `builtin` set, arguments as builtins.h says.
//  - For over range: iterable is a Call with builtin Range and int64 args; the target's local is
//    int64 (or wider if unified).
#pragma once

#include "ir/node.h"

#include <string>
#include <vector>

namespace lj {

struct Local {
    std::string name;
    TypeRef type;
};

struct TypedFunction {
    NodePtr func;                // typed clone of the Func node (func->type = return type)
    std::vector<TypeRef> params; // parameter types
    TypeRef ret = nullptr;       // return type
    std::vector<Local> locals;   // slot -> local; params are slots 0..params.size()-1
};

struct TypedProgram {
    std::vector<TypedFunction> functions; // [0] is the entry point
};

// `module` is a Module node (ir/node.h). `ret` is the declared return type, or nullptr to infer
// it (weak literal results materialize: int64, float64, complex128). Throws CompileError
// (Typing/Unsupported) pointing at the offending node.
TypedProgram infer_types(const Node &module, const std::vector<TypeRef> &params, TypeRef ret);

} // namespace lj
