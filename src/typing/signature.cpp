// Parsing and printing Numba-style signature strings (see signature.h for the accepted forms).
#include "typing/signature.h"

#include "support/error.h"

#include <cctype>
#include <unordered_map>

namespace lj {
namespace {

const std::unordered_map<std::string, Scalar> &scalar_names() {
    static const auto *m = new std::unordered_map<std::string, Scalar>{
        {"bool", Scalar::Bool},
        {"boolean", Scalar::Bool},
        {"bool_", Scalar::Bool},
        {"b1", Scalar::Bool},
        {"int8", Scalar::Int8},
        {"i1", Scalar::Int8},
        {"char", Scalar::Int8},
        {"byte", Scalar::UInt8},
        {"uint8", Scalar::UInt8},
        {"u1", Scalar::UInt8},
        {"uchar", Scalar::UInt8},
        {"int16", Scalar::Int16},
        {"i2", Scalar::Int16},
        {"short", Scalar::Int16},
        {"uint16", Scalar::UInt16},
        {"u2", Scalar::UInt16},
        {"ushort", Scalar::UInt16},
        {"int32", Scalar::Int32},
        {"i4", Scalar::Int32},
        {"intc", Scalar::Int32},
        {"uint32", Scalar::UInt32},
        {"u4", Scalar::UInt32},
        {"uintc", Scalar::UInt32},
        {"int64", Scalar::Int64},
        {"i8", Scalar::Int64},
        {"int_", Scalar::Int64},
        {"intp", Scalar::Int64},
        {"ssize_t", Scalar::Int64},
        {"long_", Scalar::Int64},
        {"longlong", Scalar::Int64},
        {"int", Scalar::Int64},
        {"uint64", Scalar::UInt64},
        {"u8", Scalar::UInt64},
        {"uint", Scalar::UInt64},
        {"uintp", Scalar::UInt64},
        {"size_t", Scalar::UInt64},
        {"ulong", Scalar::UInt64},
        {"ulonglong", Scalar::UInt64},
        {"float16", Scalar::Float16},
        {"f2", Scalar::Float16},
        {"half", Scalar::Float16},
        {"float32", Scalar::Float32},
        {"f4", Scalar::Float32},
        {"single", Scalar::Float32},
        {"float64", Scalar::Float64},
        {"f8", Scalar::Float64},
        {"double", Scalar::Float64},
        {"float", Scalar::Float64},
        {"complex64", Scalar::Complex64},
        {"c8", Scalar::Complex64},
        {"csingle", Scalar::Complex64},
        {"complex128", Scalar::Complex128},
        {"c16", Scalar::Complex128},
        {"cdouble", Scalar::Complex128},
        {"complex", Scalar::Complex128},
    };
    return *m;
}

class SigParser {
public:
    explicit SigParser(const std::string &text) : s_(text) {}

    Signature signature() {
        Signature sig;
        skip();
        if (peek() != '(') {
            sig.ret = type(true);
            skip();
            if (peek() != '(')
                fail(pos_ < s_.size() ? "expected '(' before the argument types"
                                      : "missing argument list, e.g. 'float64(float64)'");
        }
        ++pos_; // '('
        skip();
        if (peek() != ')') {
            for (;;) {
                sig.args.push_back(type(false));
                skip();
                if (peek() == ',') {
                    ++pos_;
                    continue;
                }
                expect(')');
                break;
            }
        } else {
            ++pos_;
        }
        end();
        return sig;
    }

    TypeRef single_type() {
        TypeRef t = type(true);
        end();
        return t;
    }

private:
    const std::string &s_;
    size_t pos_ = 0;

    [[noreturn]] void fail(const std::string &what) const {
        throw CompileError(ErrorKind::Signature, what + " in signature '" + s_ + "'");
    }
    void skip() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
            ++pos_;
    }
    char peek() {
        skip();
        return pos_ < s_.size() ? s_[pos_] : '\0';
    }
    void expect(char c) {
        if (peek() != c)
            fail(std::string("expected '") + c + "'" +
                 (pos_ < s_.size() ? std::string(" at '") + s_.substr(pos_) + "'" : ""));
        ++pos_;
    }
    void end() {
        skip();
        if (pos_ != s_.size())
            fail("unexpected '" + s_.substr(pos_) + "'");
    }
    std::string ident() {
        skip();
        size_t start = pos_;
        while (pos_ < s_.size() &&
               (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
            ++pos_;
        if (start == pos_)
            fail(pos_ < s_.size() ? "expected a type at '" + s_.substr(pos_) + "'"
                                  : "expected a type at the end");
        return s_.substr(start, pos_ - start);
    }
    int number() {
        std::string t = ident();
        for (char c : t)
            if (!std::isdigit(static_cast<unsigned char>(c)))
                fail("expected a number, got '" + t + "'");
        return std::stoi(t);
    }

    Scalar dtype(const std::string &name) {
        auto it = scalar_names().find(name);
        if (it == scalar_names().end())
            fail("unknown type '" + name + "'");
        return it->second;
    }

    TypeRef type(bool allow_void) {
        std::string name = ident();
        TypeRef t;
        if (name == "void" || name == "none") {
            if (!allow_void)
                fail("'" + name + "' is only allowed as the return type");
            return none_type();
        }
        if (name == "UniTuple") {
            expect('(');
            TypeRef elem = type(false);
            expect(',');
            int n = number();
            expect(')');
            t = tuple_type(std::vector<TypeRef>(static_cast<size_t>(n), elem));
        } else if (name == "Tuple") {
            expect('(');
            std::vector<TypeRef> elems;
            if (peek() != ')') {
                for (;;) {
                    elems.push_back(type(false));
                    if (peek() == ',') {
                        ++pos_;
                        continue;
                    }
                    break;
                }
            }
            expect(')');
            t = tuple_type(elems);
        } else if (name == "array") {
            t = array_call();
        } else {
            t = scalar_type(dtype(name));
        }
        if (peek() == '[') {
            if (!t->is_scalar())
                fail("array element type must be a scalar dtype, not '" + type_name(t) + "'");
            t = array_dims(t->scalar);
        }
        return t;
    }

    // array(float64, 2d, C[, readonly]): the form type_name prints.
    TypeRef array_call() {
        expect('(');
        Scalar dt = dtype(ident());
        expect(',');
        std::string dims = ident();
        if (dims.size() < 2 || dims.back() != 'd')
            fail("expected a dimension count like '2d', got '" + dims + "'");
        int ndim = 0;
        for (size_t i = 0; i + 1 < dims.size(); ++i) {
            if (!std::isdigit(static_cast<unsigned char>(dims[i])))
                fail("expected a dimension count like '2d', got '" + dims + "'");
            ndim = ndim * 10 + (dims[i] - '0');
        }
        expect(',');
        std::string lay = ident();
        Layout layout;
        if (lay == "C")
            layout = Layout::C;
        else if (lay == "F")
            layout = Layout::F;
        else if (lay == "A")
            layout = Layout::A;
        else
            fail("unknown array layout '" + lay + "' (expected C, F or A)");
        bool readonly = false;
        if (peek() == ',') {
            ++pos_;
            std::string ro = ident();
            if (ro != "readonly")
                fail("unexpected '" + ro + "' in array type");
            readonly = true;
        }
        expect(')');
        return array_type(dt, ndim, layout, readonly);
    }

    // float64[:, ::1] -> C, float64[::1, :] -> F, float64[:, :] -> A.
    TypeRef array_dims(Scalar dt) {
        expect('[');
        int ndim = 0, unit_at = -1;
        for (;;) {
            expect(':');
            if (peek() == ':') {
                ++pos_;
                if (peek() != '1')
                    fail("only '::1' may mark a contiguous dimension");
                ++pos_;
                if (unit_at >= 0)
                    fail("only one dimension may be marked contiguous ('::1')");
                unit_at = ndim;
            }
            ++ndim;
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            expect(']');
            break;
        }
        Layout layout = Layout::A;
        if (unit_at == ndim - 1)
            layout = Layout::C;
        else if (unit_at == 0)
            layout = Layout::F;
        else if (unit_at >= 0)
            fail("'::1' must mark the first or the last dimension");
        return array_type(dt, ndim, layout);
    }
};

std::string sig_type_name(TypeRef t) {
    if (t->kind == TypeKind::None)
        return "void";
    if (t->kind == TypeKind::Array) {
        std::string s = scalar_name(t->scalar);
        s += '[';
        for (int i = 0; i < t->ndim; ++i) {
            if (i)
                s += ", ";
            bool unit =
                (t->layout == Layout::C && i == t->ndim - 1) || (t->layout == Layout::F && i == 0);
            s += unit ? "::1" : ":";
        }
        s += ']';
        return t->readonly
                   ? "array(" + std::string(scalar_name(t->scalar)) + ", " +
                         std::to_string(t->ndim) + "d, " + "CFA"[int(t->layout)] + ", readonly)"
                   : s;
    }
    if (t->kind == TypeKind::Tuple) {
        std::string s = "Tuple(";
        for (size_t i = 0; i < t->elems.size(); ++i)
            s += (i ? ", " : "") + sig_type_name(t->elems[i]);
        return s + ")";
    }
    return type_name(t);
}

} // namespace

Signature parse_signature(const std::string &text) {
    return SigParser(text).signature();
}

TypeRef parse_type(const std::string &text) {
    return SigParser(text).single_type();
}

std::string signature_string(const Signature &sig) {
    std::string s = sig.ret ? sig_type_name(sig.ret) : "";
    s += '(';
    for (size_t i = 0; i < sig.args.size(); ++i)
        s += (i ? ", " : "") + sig_type_name(sig.args[i]);
    return s + ')';
}

} // namespace lj
