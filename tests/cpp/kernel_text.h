// Test helper: IR text (ir/text.h) with optional locations. `(binop + (name x) (int 2))` gets
// "0:0" inserted after each node kind that has no LINE:COL, so tests spell out locations only
// where they check them.
#pragma once

#include "ir/text.h"

#include <cctype>
#include <string>

namespace lj::test {

inline std::string with_locations(const std::string &text) {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        out += c;
        ++i;
        if (c != '(')
            continue;
        size_t k = i;
        while (k < text.size() && !std::isspace(static_cast<unsigned char>(text[k])) &&
               text[k] != '(' && text[k] != ')')
            ++k;
        std::string kind = text.substr(i, k - i);
        out += kind;
        i = k;
        if (kind == "module")
            continue;
        size_t p = i;
        while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p])))
            ++p;
        size_t q = p;
        while (q < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[q])) || text[q] == ':'))
            ++q;
        bool has_loc = q > p && text.substr(p, q - p).find(':') != std::string::npos &&
                       (q == text.size() || std::isspace(static_cast<unsigned char>(text[q])) ||
                        text[q] == ')' || text[q] == '(');
        if (!has_loc)
            out += " 0:0";
    }
    return out;
}

inline NodePtr ir(const std::string &text) {
    return parse_ir(with_locations(text));
}

// A module whose entry function `f` has the given parameter names and body statements.
inline NodePtr kernel(const std::string &params, const std::string &body,
                      const std::string &more_funcs = "") {
    std::string p;
    size_t i = 0;
    while (i < params.size()) {
        while (i < params.size() && params[i] == ' ')
            ++i;
        size_t j = i;
        while (j < params.size() && params[j] != ' ')
            ++j;
        if (j > i)
            p += " (name " + params.substr(i, j - i) + ")";
        i = j;
    }
    return ir("(module (func 1:0 f (params" + p + ") (block " + body + "))" + more_funcs + ")");
}

} // namespace lj::test
