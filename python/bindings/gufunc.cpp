// Real NumPy generalized ufuncs around compiled gufunc loops (src/compile_gufunc.h).
//
// The gufunc is created with its layout and no legacy loops; each compiled loop is added as an
// ArrayMethod for its exact DTypes (so a kernel's IndexError or MemoryError can fail the call:
// the strided loop returns -1 with the error set). A promoter registered for any DTypes picks
// the loop for other inputs the way NumPy's legacy resolver would (the first loop, in an order
// where a dtype comes before those it casts to safely, that every input casts to safely); a
// lazy gufunc compiles the loop for the inputs' dtypes there instead. NumPy does the rest:
// broadcasting of loop dimensions, core-dimension checks, out=, axes=, axis=, keepdims=.
#include "gufunc.h"

#include "compile.h"
#include "kernel_error.h"
#include "numpy_api.h"

#include "compile_gufunc.h"
#include "run_gufunc.h"
#include "schedulers/control.h"
#include "typing/signature.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pyb = pybind11;

namespace lj::py {
namespace {

using GufuncHandle = std::shared_ptr<CompiledGufunc>;

struct GufuncState;

// One loop as NumPy sees it; `aux` first, so the entry is the NpyAuxData NumPy hands back.
struct GufuncEntry {
    NpyAuxData aux{};
    GufuncHandle loop;
    GufuncState *state = nullptr;
};

struct GufuncState {
    std::string name, doc, origin; // origin: "'f', file \"f.py\"" for error messages
    int nin = 0, nout = 0;
    bool parallel = false;
    GufuncSpec spec;
    std::vector<std::unique_ptr<GufuncEntry>> entries; // in cast order (see file comment)
    std::map<std::vector<int>, GufuncEntry *> by_typenums;
    pyb::object compile;   // lazy: callable(input dtypes, output dtypes or None) -> GufuncLoop
    pyb::object core_dims; // callable(list[int] sizes, -1 unknown) -> list[int], or None
};

const char *kStateCapsule = "loopjit.gufunc_state";

GufuncState *state_of(PyObject *ufunc) {
    PyObject *obj = reinterpret_cast<PyUFuncObject *>(ufunc)->obj;
    if (!obj || !PyCapsule_IsValid(obj, kStateCapsule))
        return nullptr;
    return static_cast<GufuncState *>(PyCapsule_GetPointer(obj, kStateCapsule));
}

int gufunc_loop(PyArrayMethod_Context *, char *const data[], npy_intp const dims[],
                npy_intp const strides[], NpyAuxData *aux) {
    auto *e = reinterpret_cast<GufuncEntry *>(aux);
    const GufuncState &st = *e->state;
    const CompiledGufunc &g = *e->loop;
    KernelError err;
    const double cost = gufunc_iteration_cost(g, st.spec, dims);
    const bool goes_parallel = st.parallel && dims[0] > 1 && grain_for(dims[0], cost) < dims[0];
    // NumPy releases the GIL around loops that need no Python API; if it did not, a loop
    // going parallel must.
    PyThreadState *ts = goes_parallel && PyGILState_Check() ? PyEval_SaveThread() : nullptr;
    try {
        run_gufunc(g, cost, goes_parallel, data, dims, strides, g.can_raise ? &err : nullptr);
    } catch (const std::exception &ex) {
        err.kind = KernelErrorKind::None;
        err.message = std::string("loopjit: parallel loop failed: ") + ex.what();
        err.raised = 1;
    }
    if (ts)
        PyEval_RestoreThread(ts);
    if (!err.raised.load())
        return 0;
    PyGILState_STATE gil = PyGILState_Ensure();
    set_kernel_error(err, st.origin);
    PyGILState_Release(gil);
    return -1;
}

NpyAuxData *aux_clone(NpyAuxData *a) { return a; } // entries live as long as the gufunc
void aux_free(NpyAuxData *) {}

PyArrayMethod_GetLoop *const gufunc_get_loop =
    &get_loop_by_typenums<GufuncState, state_of, gufunc_loop>;

// Adds a compiled loop as an ArrayMethod for its exact DTypes.
void add_loop(PyObject *ufunc, GufuncState &st, const GufuncHandle &loop) {
    if (static_cast<int>(loop->dtypes.size()) != st.nin + st.nout)
        throw pyb::value_error("loop arity does not match the gufunc's layout");
    std::vector<int> typenums;
    for (Scalar s : loop->dtypes)
        typenums.push_back(scalar_numpy_typenum(s));
    if (st.by_typenums.count(typenums)) // same dtypes twice: the first signature given wins
        return;
    auto e = std::make_unique<GufuncEntry>();
    e->aux.free = &aux_free;
    e->aux.clone = &aux_clone;
    e->loop = loop;
    e->state = &st;
    if (add_array_method(ufunc, st.name + "_loop", st.nin, st.nout, typenums,
                         gufunc_get_loop) < 0)
        throw pyb::error_already_set();
    st.by_typenums[typenums] = e.get();
    // Keep the cast order: inputs that cast safely to another loop's inputs come first.
    auto rank = [](const GufuncEntry &x) {
        int r = 0;
        for (size_t i = 0; i < static_cast<size_t>(x.loop->nin); ++i)
            r += static_cast<int>(x.loop->dtypes[i]);
        return r;
    };
    auto pos = std::upper_bound(st.entries.begin(), st.entries.end(), e,
                                [&](const auto &a, const auto &b) { return rank(*a) < rank(*b); });
    st.entries.insert(pos, std::move(e));
}

bool can_cast_safely(PyArray_DTypeMeta *from, Scalar to) {
    if (!from->singleton)
        return false;
    PyArray_Descr *d = PyArray_DescrFromType(scalar_numpy_typenum(to));
    const bool ok = PyArray_CanCastTypeTo(from->singleton, d, NPY_SAFE_CASTING);
    Py_DECREF(d);
    return ok;
}

// The promoter (see the file comment). Returns 0 with the chosen loop's DTypes.
int promoter(PyObject *ufunc, PyArray_DTypeMeta *const op_dtypes[],
             PyArray_DTypeMeta *const signature[], PyArray_DTypeMeta *new_op_dtypes[]) {
    GufuncState *st = state_of(ufunc);
    if (!st) {
        PyErr_SetString(PyExc_RuntimeError, "loopjit: promoter called for a foreign gufunc");
        return -1;
    }
    std::vector<PyArray_DTypeMeta *> ins;
    if (!promoter_input_dtypes(st->name.c_str(), st->nin, op_dtypes, signature, ins, true))
        return -1;
    DTypeRefs release{ins};
    std::vector<std::string> names;
    if (!input_dtype_names(st->name.c_str(), ins, names))
        return -1;
    auto writable = [&](int i) {
        return i < static_cast<int>(st->spec.writable.size()) && st->spec.writable[i];
    };
    // Output dtypes the caller fixed with dtype= or signature= (lazy gufuncs compile for them).
    std::vector<std::string> out_names;
    for (int i = st->nin; i < st->nin + st->nout; ++i) {
        PyArray_DTypeMeta *d = signature[i];
        out_names.push_back(d && d->singleton ? scalar_of_descr(d->singleton) : "");
    }
    const bool lazy = !st->compile.is_none();
    // dtype= / signature= fix output DTypes (NumPy passes them in `signature`, never out='s).
    auto matches = [&](const GufuncEntry &e) {
        for (int i = 0; i < st->nin; ++i) {
            const Scalar want = e.loop->dtypes[i];
            // A writable input must be the array itself, not a cast copy NumPy would make; a
            // lazy gufunc compiles for the exact input dtypes.
            const bool exact = writable(i) || lazy;
            if (exact ? names[i] != scalar_name(want) : !can_cast_safely(ins[i], want))
                return false;
        }
        for (int o = 0; o < st->nout; ++o)
            if (!out_names[o].empty() && out_names[o] != scalar_name(e.loop->dtypes[st->nin + o]))
                return false;
        return true;
    };
    const GufuncEntry *chosen = nullptr;
    for (const auto &e : st->entries)
        if (matches(*e)) {
            chosen = e.get();
            break;
        }
    bool added = false;
    if (!chosen && lazy) {
        added = true;
        try {
            pyb::list in_arg, out_arg;
            for (const auto &n : names)
                in_arg.append(n);
            for (const auto &n : out_names)
                out_arg.append(n.empty() ? pyb::none() : pyb::object(pyb::str(n)));
            GufuncHandle h = st->compile(in_arg, out_arg).cast<GufuncHandle>();
            add_loop(ufunc, *st, h);
            for (const auto &e : st->entries)
                if (e->loop->dtypes == h->dtypes)
                    chosen = e.get();
        } catch (pyb::error_already_set &e) {
            e.restore();
            return -1;
        } catch (const std::exception &e) {
            PyErr_SetString(PyExc_RuntimeError, e.what());
            return -1;
        }
    }
    if (!chosen) {
        std::string types;
        for (const auto &n : names)
            types += (types.empty() ? "" : ", ") + n;
        for (int i = 0; i < st->nin; ++i)
            if (writable(i))
                types += std::string("; argument ") + std::to_string(i + 1) +
                         " is written by the kernel (writable_args) and must have a loop's dtype "
                         "exactly";
        PyErr_Format(PyExc_TypeError,
                     "gufunc '%s' did not contain a loop with signature matching types (%s)",
                     st->name.c_str(), types.c_str());
        return -1;
    }
    for (int i = 0; i < st->nin + st->nout; ++i) {
        PyArray_Descr *d = PyArray_DescrFromType(scalar_numpy_typenum(chosen->loop->dtypes[i]));
        new_op_dtypes[i] = NPY_DTYPE(d);
        Py_INCREF(new_op_dtypes[i]);
        Py_DECREF(d);
    }
    // A loop added here is found only if NumPy looks again (>= 2.5 takes 1 as "look again").
    return added ? 1 : 0;
}

// NumPy >= 2.1 asks this for output-only core dimensions (-1 where out= did not give them).
int process_core_dims(PyUFuncObject *ufunc, npy_intp *sizes) {
    GufuncState *st = state_of(reinterpret_cast<PyObject *>(ufunc));
    if (!st || st->core_dims.is_none())
        return 0;
    try {
        std::vector<int64_t> v(sizes, sizes + ufunc->core_num_dim_ix);
        std::vector<int64_t> out = st->core_dims(v).cast<std::vector<int64_t>>();
        if (out.size() != v.size())
            throw pyb::value_error("core dimension sizes of the wrong length");
        std::copy(out.begin(), out.end(), sizes);
    } catch (pyb::error_already_set &e) {
        e.restore();
        return -1;
    } catch (const std::exception &e) {
        PyErr_SetString(PyExc_ValueError, e.what());
        return -1;
    }
    return 0;
}

void destroy_state(PyObject *capsule) {
    delete static_cast<GufuncState *>(PyCapsule_GetPointer(capsule, kStateCapsule));
}

pyb::object make_gufunc(const std::string &name, const std::string &origin,
                        const std::string &doc, int nin, int nout, const std::string &layout,
                        std::vector<std::vector<int>> core_dims, std::vector<bool> writable,
                        std::vector<GufuncHandle> loops, pyb::object compile,
                        const std::string &target, pyb::object core_dims_func) {
    if (target != "cpu" && target != "parallel")
        throw pyb::value_error("unknown target '" + target + "'");
    auto st = std::make_unique<GufuncState>();
    st->name = name;
    st->doc = doc;
    st->origin = origin;
    st->nin = nin;
    st->nout = nout;
    st->parallel = target == "parallel";
    st->spec.nin = nin;
    st->spec.core_dims = std::move(core_dims);
    st->spec.writable = std::move(writable);
    st->compile = std::move(compile);
    st->core_dims = std::move(core_dims_func);
    GufuncState &s = *st;
    PyObject *capsule = PyCapsule_New(st.get(), kStateCapsule, &destroy_state);
    if (!capsule)
        throw pyb::error_already_set();
    st.release();
    // NumPy keeps pointers to name and doc: the state owns them.
    PyObject *uf = PyUFunc_FromFuncAndDataAndSignatureAndIdentity(
        nullptr, nullptr, nullptr, 0, nin, nout, PyUFunc_None, s.name.c_str(),
        s.doc.c_str(), 0, layout.c_str(), nullptr);
    if (!uf) {
        Py_DECREF(capsule);
        throw pyb::error_already_set();
    }
    auto *u = reinterpret_cast<PyUFuncObject *>(uf);
    u->obj = capsule;
    // Inputs the kernel writes are read-write operands: NumPy then refuses read-only and
    // broadcast arrays for them, and the promoter refuses casts (which would hand the kernel
    // a copy).
    for (int i = 0; i < nin; ++i)
        if (i < static_cast<int>(s.spec.writable.size()) && s.spec.writable[i])
            u->op_flags[i] = NPY_ITER_READWRITE | NPY_ITER_UPDATEIFCOPY;
    pyb::object result = pyb::reinterpret_steal<pyb::object>(uf);
    // Our numbering of core dimensions must be NumPy's.
    for (int k = 0; k < nin + nout; ++k) {
        std::vector<int> ixs(u->core_dim_ixs + u->core_offsets[k],
                             u->core_dim_ixs + u->core_offsets[k] + u->core_num_dims[k]);
        if (ixs != s.spec.core_dims[k])
            throw std::runtime_error("loopjit: core dimension numbering differs from NumPy's "
                                     "for layout " + layout);
    }
    if (!s.core_dims.is_none()) {
        if (numpy_feature_version() < NPY_2_1_API_VERSION)
            throw pyb::value_error("sizing output-only core dimensions needs NumPy >= 2.1 (or "
                                   "pass out=)");
        // process_core_dims_func (NumPy >= 2.1) follows _loops in PyUFuncObject; we build for
        // the 2.0 ABI, whose header stops before it.
        auto **slot = reinterpret_cast<void **>(&u->_loops + 1);
        *slot = reinterpret_cast<void *>(&process_core_dims);
    }
    for (const GufuncHandle &l : loops)
        add_loop(uf, s, l);
    PyObject *dtypes = PyTuple_New(nin + nout);
    for (int i = 0; i < nin + nout; ++i) {
        Py_INCREF(Py_None);
        PyTuple_SET_ITEM(dtypes, i, Py_None);
    }
    PyObject *prom = PyCapsule_New(reinterpret_cast<void *>(&promoter),
                                   "numpy._ufunc_promoter", nullptr);
    const int rc = prom ? PyUFunc_AddPromoter(uf, dtypes, prom) : -1;
    Py_DECREF(dtypes);
    Py_XDECREF(prom);
    if (rc < 0)
        throw pyb::error_already_set();
    return result;
}

std::vector<std::string> dtype_names(const CompiledGufunc &g) {
    std::vector<std::string> out;
    for (Scalar s : g.dtypes)
        out.push_back(scalar_name(s));
    return out;
}

} // namespace

void register_gufunc(pyb::module_ &m) {
    pyb::class_<CompiledGufunc, GufuncHandle>(m, "GufuncLoop")
        .def_property_readonly("dtypes", &dtype_names)
        .def_readonly("nin", &CompiledGufunc::nin)
        .def_readonly("typed_ir", &CompiledGufunc::typed_ir)
        .def_readonly("llvm_ir", &CompiledGufunc::llvm_ir)
        .def_readonly("assembly", &CompiledGufunc::assembly)
        .def_readonly("compile_seconds", &CompiledGufunc::compile_seconds);
    m.def(
        "compile_gufunc",
        [](const std::string &ir, const std::string &signature,
           std::vector<std::vector<int>> core_dims, int nin, std::vector<bool> writable,
           bool fastmath, bool boundscheck, bool keep_assembly, int debug) {
            GufuncSpec spec;
            spec.nin = nin;
            spec.core_dims = std::move(core_dims);
            spec.writable = std::move(writable);
            CompileOptions opts;
            opts.fastmath = fastmath;
            opts.boundscheck = boundscheck;
            opts.keep_assembly = keep_assembly;
            opts.debug = debug;
            Signature sig = parse_signature(signature);
            pyb::gil_scoped_release release;
            return std::make_shared<CompiledGufunc>(compile_gufunc(ir, sig, spec, opts));
        },
        pyb::arg("ir"), pyb::arg("signature"), pyb::arg("core_dims"), pyb::arg("nin"),
        pyb::arg("writable"), pyb::arg("fastmath") = false, pyb::arg("boundscheck") = false,
        pyb::arg("keep_assembly") = false, pyb::arg("debug") = 0,
        "Compiles a gufunc kernel (its module IR) for one signature.");
    m.def("make_gufunc", &make_gufunc, pyb::arg("name"), pyb::arg("origin"), pyb::arg("doc"),
          pyb::arg("nin"), pyb::arg("nout"), pyb::arg("layout"), pyb::arg("core_dims"),
          pyb::arg("writable"), pyb::arg("loops"), pyb::arg("compile") = pyb::none(),
          pyb::arg("target") = "cpu", pyb::arg("core_dims_func") = pyb::none(),
          "A NumPy gufunc over compiled loops; with `compile`, lazy: it compiles a loop for "
          "each new combination of input dtypes.");
    m.def("gufunc_loops", [](pyb::object uf) {
        GufuncState *st = state_of(uf.ptr());
        if (!st)
            throw pyb::type_error("not a loopjit gufunc");
        std::vector<GufuncHandle> out;
        for (const auto &e : st->entries)
            out.push_back(e->loop);
        return out;
    }, "The compiled loops of a loopjit gufunc, in resolution order.");
}

} // namespace lj::py
