#include "ir/text.h"

#include <cmath>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <unordered_map>

namespace lj {
namespace {

[[noreturn]] void bad_text(size_t pos, const std::string &what) {
    throw CompileError(ErrorKind::Internal,
                       "malformed IR text at offset " + std::to_string(pos) + ": " + what);
}

class Parser {
public:
    explicit Parser(const std::string &text) : s_(text) {}

    NodePtr parse_all() {
        NodePtr n = parse_node();
        skip_space();
        if (pos_ != s_.size())
            bad_text(pos_, "trailing text");
        return n;
    }

private:
    const std::string &s_;
    size_t pos_ = 0;

    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' ||
                                    s_[pos_] == '\r'))
            ++pos_;
    }
    bool at_close() {
        skip_space();
        return pos_ < s_.size() && s_[pos_] == ')';
    }
    std::string atom() {
        skip_space();
        size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] != ' ' && s_[pos_] != '(' && s_[pos_] != ')' &&
               s_[pos_] != '\n' && s_[pos_] != '\t' && s_[pos_] != '\r')
            ++pos_;
        if (start == pos_)
            bad_text(pos_, "expected an atom");
        return s_.substr(start, pos_ - start);
    }
    static const std::unordered_map<std::string, NodeKind> &kinds() {
        static const auto *m = [] {
            auto *m = new std::unordered_map<std::string, NodeKind>();
#define LJ_X(kind, text) (*m)[text] = NodeKind::kind;
            LJ_NODE_KINDS(LJ_X)
#undef LJ_X
            return m;
        }();
        return *m;
    }
    static Op parse_op(const std::string &t, size_t pos) {
        static const auto *m = [] {
            auto *m = new std::unordered_map<std::string, Op>();
#define LJ_X(op, text) (*m)[text] = Op::op;
            LJ_OPS(LJ_X)
#undef LJ_X
            return m;
        }();
        auto it = m->find(t);
        if (it == m->end() || it->second == Op::None)
            bad_text(pos, "unknown operator '" + t + "'");
        return it->second;
    }
    static double parse_double(const std::string &t, size_t pos) {
        if (t == "inf")
            return INFINITY;
        if (t == "-inf")
            return -INFINITY;
        if (t == "nan")
            return NAN;
        if (t == "-nan")
            return -NAN;
        char *end = nullptr;
        double v = std::strtod(t.c_str(), &end);
        if (*end)
            bad_text(pos, "bad float '" + t + "'");
        return v;
    }
    static int64_t parse_int(const std::string &t, size_t pos) {
        char *end = nullptr;
        errno = 0;
        long long v = std::strtoll(t.c_str(), &end, 10);
        if (*end || errno)
            bad_text(pos, "bad integer '" + t + "'");
        return v;
    }
    SourceLoc parse_loc() {
        size_t p = pos_;
        std::string t = atom();
        auto colon = t.find(':');
        if (colon == std::string::npos)
            bad_text(p, "expected LINE:COL, got '" + t + "'");
        return {static_cast<int>(parse_int(t.substr(0, colon), p)),
                static_cast<int>(parse_int(t.substr(colon + 1), p))};
    }

    NodePtr parse_node() {
        skip_space();
        if (pos_ >= s_.size() || s_[pos_] != '(')
            bad_text(pos_, "expected '('");
        ++pos_;
        size_t kpos = pos_;
        std::string kname = atom();
        auto it = kinds().find(kname);
        if (it == kinds().end())
            bad_text(kpos, "unknown node kind '" + kname + "'");
        NodeKind kind = it->second;
        SourceLoc loc;
        if (kind != NodeKind::Module)
            loc = parse_loc();
        auto n = std::make_unique<Node>(kind, loc);
        size_t fpos = pos_;
        switch (kind) {
        case NodeKind::Int:
            n->ival = parse_int(atom(), fpos);
            break;
        case NodeKind::Bool:
            n->ival = parse_int(atom(), fpos) != 0;
            break;
        case NodeKind::Float:
            n->fval = parse_double(atom(), fpos);
            break;
        case NodeKind::Complex:
            n->fval = parse_double(atom(), fpos);
            n->fimag = parse_double(atom(), pos_);
            break;
        case NodeKind::Name:
        case NodeKind::SetExpr:
        case NodeKind::Call:
        case NodeKind::Method:
        case NodeKind::Attr:
        case NodeKind::Func:
        case NodeKind::DType:
            n->name = atom();
            break;
        case NodeKind::BinOp:
        case NodeKind::Unary:
        case NodeKind::Compare:
        case NodeKind::AugAssign:
            n->op = parse_op(atom(), fpos);
            break;
        default:
            break;
        }
        while (!at_close()) {
            if (pos_ >= s_.size())
                bad_text(pos_, "unexpected end of text");
            n->kids.push_back(parse_node());
        }
        ++pos_; // ')'
        return n;
    }
};

std::string format_double(double v) {
    if (std::isnan(v))
        return std::signbit(v) ? "-nan" : "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%a", v);
    return buf;
}

bool is_statement(NodeKind k) {
    switch (k) {
    case NodeKind::Assign:
    case NodeKind::AugAssign:
    case NodeKind::If:
    case NodeKind::While:
    case NodeKind::For:
    case NodeKind::Break:
    case NodeKind::Continue:
    case NodeKind::Pass:
    case NodeKind::Return:
    case NodeKind::ExprStmt:
    case NodeKind::Block:
    case NodeKind::Func:
    case NodeKind::Params:
    case NodeKind::Module:
        return true;
    default:
        return false;
    }
}

void print_node(const Node &n, bool with_types, int indent, std::string &out) {
    out += '(';
    out += node_kind_name(n.kind);
    if (n.kind != NodeKind::Module) {
        out += ' ' + std::to_string(n.loc.line) + ':' + std::to_string(n.loc.col);
    }
    if (with_types && n.type && n.kind != NodeKind::Block)
        out += " :" + type_name(n.type);
    switch (n.kind) {
    case NodeKind::Int:
    case NodeKind::Bool:
        out += ' ' + std::to_string(n.ival);
        break;
    case NodeKind::Float:
        out += ' ' + format_double(n.fval);
        break;
    case NodeKind::Complex:
        out += ' ' + format_double(n.fval) + ' ' + format_double(n.fimag);
        break;
    case NodeKind::Name:
    case NodeKind::SetExpr:
    case NodeKind::Call:
    case NodeKind::Method:
    case NodeKind::Attr:
    case NodeKind::Func:
    case NodeKind::DType:
        out += ' ' + n.name;
        break;
    case NodeKind::BinOp:
    case NodeKind::Unary:
    case NodeKind::Compare:
    case NodeKind::AugAssign:
        out += ' ';
        out += op_text(n.op);
        break;
    default:
        break;
    }
    for (const auto &k : n.kids) {
        if (is_statement(k->kind) && k->kind != NodeKind::Params) {
            out += '\n';
            out.append(static_cast<size_t>(indent + 2), ' ');
            print_node(*k, with_types, indent + 2, out);
        } else {
            out += ' ';
            print_node(*k, with_types, indent, out);
        }
    }
    out += ')';
}

} // namespace

NodePtr parse_ir(const std::string &text) { return Parser(text).parse_all(); }

std::string print_ir(const Node &node, bool with_types) {
    std::string out;
    print_node(node, with_types, 0, out);
    return out;
}

} // namespace lj
