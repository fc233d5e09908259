// Inserting implicit conversions into the IR during type inference.
#pragma once

#include "ir/node.h"

namespace lj {

// Makes the expression in `slot` have type `to`: nothing if it already has it; a literal is
// retyped in place; anything else is wrapped in a Cast node (same location).
void insert_cast(NodePtr &slot, TypeRef to);

} // namespace lj
