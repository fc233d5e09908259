#include "ir/node.h"

namespace lj {

const char *node_kind_name(NodeKind k) {
    static const char *names[] = {
#define LJ_X(kind, text) text,
        LJ_NODE_KINDS(LJ_X)
#undef LJ_X
    };
    return names[static_cast<int>(k)];
}

const char *op_text(Op op) {
    static const char *texts[] = {
#define LJ_X(op, text) text,
        LJ_OPS(LJ_X)
#undef LJ_X
    };
    return texts[static_cast<int>(op)];
}

NodePtr Node::clone() const {
    auto n = std::make_unique<Node>(kind, loc);
    n->op = op;
    n->name = name;
    n->ival = ival;
    n->fval = fval;
    n->fimag = fimag;
    n->type = type;
    n->slot = slot;
    n->builtin = builtin;
    n->kids.reserve(kids.size());
    for (const auto &k : kids)
        n->kids.push_back(k->clone());
    return n;
}

NodePtr make_node(NodeKind kind, SourceLoc loc, std::vector<NodePtr> kids) {
    auto n = std::make_unique<Node>(kind, loc);
    n->kids = std::move(kids);
    return n;
}

} // namespace lj
