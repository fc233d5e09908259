// Type inference internals shared by infer*.cpp: the per-program driver (specialization of
// "@f" calls) and the per-function inferer. A function is typed in passes over a fresh clone of
// its body until the types of its locals stop changing (a loop can widen a local that an earlier
// statement already read); the last pass's tree is the result.
#pragma once

#include "typing/infer.h"

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lj::infer {

// The type of an expression that reads a local whose type is not known yet in this pass; it
// propagates through every operation without raising errors.
TypeRef unknown_type();
inline bool is_unknown(TypeRef t) {
    return t == unknown_type();
}

// Spelling of a type in messages: weak literals as the Python types they are ("int").
std::string user_type_name(TypeRef t);

// The common type two values can both be stored as: numbers promote (NEP 50), tuples of equal
// length element-wise, equal types to themselves. nullptr if there is none.
TypeRef unify(TypeRef a, TypeRef b);

// Operator typing (infer_ops.cpp). `operand` is the type both operands are cast to, `result` the
// node's type (bool for comparisons); `rhs_operand`, when set, is the right operand's type
// instead (a comparison of int64 with uint64, see infer.h).
struct OpTypes {
    TypeRef operand;
    TypeRef result;
    TypeRef rhs_operand = nullptr;
};
OpTypes binop_types(Op op, TypeRef a, TypeRef b, SourceLoc loc);
OpTypes compare_types(Op op, const Node &lhs, const Node &rhs, SourceLoc loc);
TypeRef unary_type(Op op, TypeRef a, SourceLoc loc);

// np.empty, np.zeros, np.ones, np.full and their *_like forms (infer_array.cpp).
bool is_alloc_call(const std::string &name);

class ProgramInferer;

class FunctionInferer {
public:
    FunctionInferer(ProgramInferer &prog, const Node &func, std::vector<TypeRef> arg_types,
                    TypeRef declared_ret);

    // Runs the passes; returns the typed function. `weak_ret` receives the return type before
    // weak literal types are materialized (what a caller's expression sees).
    TypedFunction run(TypeRef *weak_ret);

private:
    ProgramInferer &prog_;
    const Node &src_;
    std::vector<TypeRef> args_;
    TypeRef declared_ret_;

    std::vector<Local> locals_; // type nullptr: not known yet
    std::unordered_map<std::string, int> slot_of_;

    // State of one pass.
    NodePtr func_;
    bool changed_ = false;
    std::optional<CompileError> error_;
    std::optional<std::pair<std::string, SourceLoc>> unknown_read_;
    TypeRef ret_ = nullptr; // unified type of the return statements (bare `return`: None)
    int loop_depth_ = 0;

    void collect_locals(const Node &n);
    int add_local(const std::string &name);
    void run_pass();
    void note_unknown_read(const Node &name);
    void finish(TypedFunction &out);

    // Statements (infer_stmt.cpp).
    void stmt(Node &n);
    void block(Node &n);
    void for_stmt(Node &n);
    void return_stmt(Node &n);
    void aug_assign(Node &n);
    // Errors are recorded, not raised, while a pass may still widen types: a later pass might
    // not repeat them. Only the last pass's first error is raised.
    void record(const CompileError &e);
    TypeRef guarded(NodePtr &slot); // expr(); unknown_type() after an error
    template <class F> void guard(F &&f) {
        try {
            f();
        } catch (const CompileError &e) {
            record(e);
        }
    }
    void check_truth_testable(const Node &cond);
    TypeRef bind(Node &target, TypeRef value, SourceLoc loc); // assignment target -> its type
    void assign_local(int slot, TypeRef t, SourceLoc loc);

    // Expressions (infer_expr.cpp).
    TypeRef expr(NodePtr &slot);
    TypeRef set(Node &n, TypeRef t) { return n.type = t; }
    TypeRef name(Node &n);
    TypeRef binop(Node &n);
    TypeRef compare(Node &n);
    TypeRef unary(NodePtr &slot);
    TypeRef and_or(Node &n);
    TypeRef if_exp(Node &n);
    TypeRef call(Node &n);
    TypeRef user_call(Node &n);
    TypeRef member(Node &n);
    TypeRef get_item(Node &n);
    TypeRef set_expr(Node &n);

    // Arrays (infer_array.cpp).
    TypeRef array_index(Node &n, TypeRef array);
    TypeRef array_member(Node &n, TypeRef array);
    TypeRef store_item(Node &target, TypeRef value, SourceLoc loc);
    TypeRef alloc_call(Node &n);
    TypeRef iterated_element(Node &iterable, TypeRef array);
    TypeRef stencil_read(Node &n);
    bool type_kids(Node &n, size_t first = 0); // false if any kid's type is unknown
};

class ProgramInferer {
public:
    explicit ProgramInferer(const Node &module);

    TypedProgram run(const std::vector<TypeRef> &params, TypeRef ret);

    // The program-wide index of `name` specialized for `args`; `*ret` its return type as a
    // caller sees it (possibly a weak literal type).
    int specialize(const Node &call, const std::vector<TypeRef> &args, TypeRef *ret);
    const TypedFunction &function(int index) const { return prog_.functions[index]; }

private:
    const Node &module_;
    std::unordered_map<std::string, const Node *> funcs_;
    TypedProgram prog_;
    std::map<std::pair<std::string, std::vector<TypeRef>>, std::pair<int, TypeRef>> done_;
    std::vector<std::string> active_; // functions being inferred (call stack)

    void prune();
};

} // namespace lj::infer
