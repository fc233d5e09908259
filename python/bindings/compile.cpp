#include "compile.h"

#include "ir/text.h"
#include "jit/object_cache.h"
#include "typing/infer.h"
#include "typing/signature.h"

#include <pybind11/stl.h>

namespace pyb = pybind11;

namespace lj::py {
namespace {

PyObject *g_compile_error = nullptr; // loopjit._core.CompileError

const char *kind_name(ErrorKind k) {
    switch (k) {
    case ErrorKind::Typing:
        return "typing";
    case ErrorKind::Unsupported:
        return "unsupported";
    case ErrorKind::Signature:
        return "signature";
    case ErrorKind::Internal:
        return "internal";
    }
    return "internal";
}

// Raised as CompileError(kind, message, line, col, func): the Python layer formats it with the
// user's source (loopjit.errors.from_core).
void translate(std::exception_ptr p) {
    try {
        if (p)
            std::rethrow_exception(p);
    } catch (const CompileError &e) {
        PyObject *args = Py_BuildValue("(ssiis)", kind_name(e.kind), e.what(), e.loc.line,
                                       e.loc.col, e.func.c_str());
        if (args) {
            PyErr_SetObject(g_compile_error, args);
            Py_DECREF(args);
        }
    }
}

std::vector<std::string> scalar_names(const std::vector<Scalar> &v) {
    std::vector<std::string> out;
    for (Scalar s : v)
        out.push_back(scalar_name(s));
    return out;
}

// Number of outputs a lazy ufunc of this IR has, needed before any loop is compiled: the arity
// of the return type inferred for all-float64 (then all-int64) arguments; if the kernel types
// for neither, n when every `return` returns an n-tuple literal, else 1.
void collect_returns(const Node &n, std::vector<const Node *> &out) {
    if (n.kind == NodeKind::Return)
        out.push_back(&n);
    for (const auto &k : n.kids)
        collect_returns(*k, out);
}

int syntactic_return_arity(const Node &module) {
    std::vector<const Node *> returns;
    if (!module.kids.empty())
        collect_returns(*module.kid(0), returns);
    size_t arity = 0;
    for (const Node *r : returns) {
        if (r->kids.empty() || r->kid(0)->kind != NodeKind::Tuple)
            return 1;
        size_t n = r->kid(0)->kids.size();
        if (arity && n != arity)
            return 1;
        arity = n;
    }
    return arity ? static_cast<int>(arity) : 1;
}

int return_arity(const std::string &ir) {
    NodePtr module = parse_ir(ir);
    if (module->kids.empty())
        return 1;
    const size_t nparams = module->kid(0)->kid(0)->kids.size();
    for (Scalar s : {Scalar::Float64, Scalar::Int64}) {
        try {
            std::vector<TypeRef> params(nparams, scalar_type(s));
            TypedProgram prog = infer_types(*module, params, nullptr);
            TypeRef ret = prog.functions[0].ret;
            return ret->kind == TypeKind::Tuple ? static_cast<int>(ret->elems.size()) : 1;
        } catch (const CompileError &) {
            continue; // the kernel may only type for other dtypes
        }
    }
    return syntactic_return_arity(*module);
}

pyb::object type_to_py(TypeRef t) {
    if (!t)
        return pyb::none();
    return pyb::str(type_name(t));
}

} // namespace

void register_compile(pyb::module_ &m) {
    g_compile_error = PyErr_NewException("loopjit._core.CompileError", PyExc_Exception, nullptr);
    m.attr("CompileError") = pyb::handle(g_compile_error);
    pyb::register_exception_translator(&translate);

    pyb::class_<CompiledLoop, LoopHandle>(m, "Loop")
        .def_property_readonly("ins", [](const CompiledLoop &l) { return scalar_names(l.ins); })
        .def_property_readonly("outs",
                               [](const CompiledLoop &l) { return scalar_names(l.outs); })
        .def_readonly("typed_ir", &CompiledLoop::typed_ir)
        .def_readonly("llvm_ir", &CompiledLoop::llvm_ir)
        .def_readonly("assembly", &CompiledLoop::assembly)
        .def_readonly("compile_seconds", &CompiledLoop::compile_seconds)
        .def_readonly("cached", &CompiledLoop::cached);

    m.def(
        "compile_loop",
        [](const std::string &ir, const std::string &signature, bool fastmath, bool keep_asm,
           int debug, bool cache) {
            Signature sig = parse_signature(signature);
            CompileOptions opts;
            opts.fastmath = fastmath;
            opts.keep_assembly = keep_asm;
            opts.debug = debug;
            opts.cache = cache;
            pyb::gil_scoped_release release; // compiling touches no Python object
            return std::make_shared<CompiledLoop>(compile_elementwise(ir, sig, opts));
        },
        pyb::arg("ir"), pyb::arg("signature"), pyb::arg("fastmath") = false,
        pyb::arg("keep_asm") = false, pyb::arg("debug") = 0, pyb::arg("cache") = false,
        "Compile the entry function of module IR `ir` as an elementwise loop for `signature` "
        "(with cache=True, through the disk cache).");

    m.def(
        "cache_info",
        [] {
            ObjectCache &c = ObjectCache::process();
            CacheStats s = c.stats();
            pyb::dict d;
            d["directory"] = c.directory();
            d["enabled"] = c.enabled();
            d["hits"] = s.hits;
            d["misses"] = s.misses;
            d["shared"] = s.shared;
            d["stores"] = s.stores;
            d["rejected"] = s.rejected;
            d["write_failures"] = s.write_failures;
            return d;
        },
        "The disk cache's directory, whether it is on, and this process's counters.");
    m.def(
        "cache_clear", [] { return ObjectCache::process().clear(); },
        "Remove the disk cache's files; returns how many.");

    m.def(
        "parse_signature",
        [](const std::string &text) {
            Signature sig = parse_signature(text);
            std::vector<std::string> args;
            for (TypeRef a : sig.args)
                args.push_back(type_name(a));
            pyb::object ret = type_to_py(sig.ret);
            pyb::object outs = pyb::none();
            if (sig.ret && sig.ret->kind == TypeKind::Tuple) {
                pyb::list l;
                for (TypeRef e : sig.ret->elems)
                    l.append(type_name(e));
                outs = l;
            } else if (sig.ret && sig.ret->kind != TypeKind::None) {
                pyb::list l;
                l.append(type_name(sig.ret));
                outs = l;
            }
            return pyb::make_tuple(args, ret, outs);
        },
        "Parse a Numba-style signature: (argument type names, return type name or None, "
        "output type names or None).");

    m.def("return_arity", &return_arity, "How many outputs a lazy ufunc of this IR has.");

    m.def(
        "canonical_type", [](const std::string &text) { return type_name(parse_type(text)); },
        "The canonical name of a type written as in signatures ('f8' -> 'float64').");

    pyb::list scalars;
    for (int i = 0; i < kNumScalars; ++i)
        scalars.append(scalar_name(static_cast<Scalar>(i)));
    m.attr("scalar_type_names") = scalars;
}

} // namespace lj::py
