// The IR's text form: the front end's output, the debug printer's format, and how C++ tests write
// kernels without Python. One S-expression per node:
//
//   (KIND LINE:COL FIELDS... KIDS...)
//
// FIELDS by kind: int "42"; float/complex as C99 hex floats or inf/-inf/nan; bool 0|1;
// name/setexpr/call/method/attr/func a symbol (no spaces or parentheses); binop/unary/cmp/
// augassign the operator text (see LJ_OPS). Example, the front end's output for
// `def f(x, y): return 2 * x + y` on line 1:
//
//   (module (func 1:0 f (params 1:6 (name 1:6 x) (name 1:9 y))
//     (block 1:12 (return 1:12 (binop 1:19 + (binop 1:19 * (int 1:19 2) (name 1:23 x))
//                                         (name 1:27 y))))))
//
// After type inference the printer adds `:TYPE` after the location of typed nodes.
#pragma once

#include "ir/node.h"

#include <string>

namespace lj {

// Throws CompileError(Internal) with the offending position on malformed text.
NodePtr parse_ir(const std::string &text);

// One line per statement, indented; expression nodes inline. print(parse(t)) round-trips.
std::string print_ir(const Node &node, bool with_types = false);

} // namespace lj
