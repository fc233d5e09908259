// Real numpy.ufunc objects around compiled loops.
//
// Eager ufuncs (signatures given) use NumPy's legacy loop table, ordered so that the loop whose
// input dtypes match exactly is always the first safe match (NumPy's legacy resolver takes the
// first loop the inputs cast to safely; our order lists a type before every type it safely
// casts to). Lazy ufuncs start with no loops and a promoter that matches any input: it compiles
// the loop for the operands' dtypes, adds it as an ArrayMethod and returns 1, which NumPy >= 2.5
// takes as "a loop was added, look again".
#include "ufunc.h"

#include "compile.h"
#include "numpy_api.h"

#include "run_elementwise.h"
#include "schedulers/control.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <cfenv>
#include <cstdio>
#include <mutex>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace pyb = pybind11;

namespace lj::py {
namespace {

// One compiled loop as NumPy sees it. `aux` comes first so a LoopEntry* is the NpyAuxData*
// NumPy hands back to ArrayMethod loops.
// A loop of a ufunc made from a table of signatures, compiled the first time NumPy runs it.
// Compiling touches no Python object, so it runs wherever NumPy calls the loop (GIL or not).
struct DeferredCompile {
    std::string ir;
    Signature sig;
    CompileOptions opts;
    std::once_flag once;
    std::string error; // set if compiling failed (a bug: the table's loops are all tested)
};

struct LoopEntry {
    NpyAuxData aux{};
    LoopHandle loop;           // null until compiled for deferred entries
    std::vector<Scalar> ins, outs;
    std::vector<int> typenums; // NumPy type numbers of the inputs then the outputs
    bool parallel = false;     // target='parallel'
    std::unique_ptr<DeferredCompile> deferred;

    const CompiledLoop *compiled() {
        if (deferred) {
            std::call_once(deferred->once, [this] {
                try {
                    loop = std::make_shared<CompiledLoop>(
                        compile_elementwise(deferred->ir, deferred->sig, deferred->opts));
                } catch (const std::exception &e) {
                    deferred->error = e.what();
                }
            });
        }
        return loop.get();
    }

    void run(char *const *args, const npy_intp *dims, const npy_intp *steps) {
        const CompiledLoop *l = compiled();
        if (!l) {
            // No exception can leave a legacy inner loop: say why on stderr and flag the
            // result as invalid, which NumPy reports (RuntimeWarning or FloatingPointError).
            std::fprintf(stderr, "loopjit: could not compile loop %s: %s\n",
                         signature_string(deferred->sig).c_str(), deferred->error.c_str());
            std::feraiseexcept(FE_INVALID);
            return;
        }
        // NumPy keeps the GIL for small loops; a loop going parallel must not hold it.
        // (a scheduler splits only into pieces of at least `grain`: two need 2 * grain)
        const bool goes_parallel =
            parallel && dims[0] > 1 && dims[0] >= 2 * grain_for(dims[0], l->cost);
        PyThreadState *ts = goes_parallel && PyGILState_Check() ? PyEval_SaveThread() : nullptr;
        try {
            run_elementwise(*l, goes_parallel, args, dims, steps);
        } catch (const std::exception &e) {
            // Nothing may unwind through NumPy. The threading layer was validated at import,
            // so this is a bug: report it as an invalid result rather than crash.
            std::fprintf(stderr, "loopjit: parallel loop failed: %s\n", e.what());
            std::feraiseexcept(FE_INVALID);
        }
        if (ts)
            PyEval_RestoreThread(ts);
    }
};

// Everything a ufunc needs to stay valid: owned through a capsule in PyUFuncObject::obj, so it
// (and the machine code its loops point into) lives exactly as long as the ufunc.
struct UfuncState {
    std::string name, doc;
    int nin = 0, nout = 0;
    bool reorderable = false;
    bool parallel = false; // target='parallel'; every loop of the ufunc runs that way
    std::vector<std::unique_ptr<LoopEntry>> entries;
    // Legacy loop table (eager ufuncs).
    std::vector<PyUFuncGenericFunction> functions;
    std::vector<void *> data;
    std::vector<char> types;
    // Lazy ufuncs: the compile callback and the loops added so far.
    pyb::object compile;                                  // callable(list[str]) -> Loop
    std::map<std::vector<int>, LoopEntry *> by_typenums;  // all operands' type numbers
    std::set<std::vector<PyArray_DTypeMeta *>> registered; // input DTypes with a loop
};

const char *kStateCapsule = "loopjit.ufunc_state";

UfuncState *state_of(PyObject *ufunc) {
    PyObject *obj = reinterpret_cast<PyUFuncObject *>(ufunc)->obj;
    if (!obj || !PyCapsule_IsValid(obj, kStateCapsule))
        return nullptr;
    return static_cast<UfuncState *>(PyCapsule_GetPointer(obj, kStateCapsule));
}

void legacy_loop(char **args, npy_intp const *dims, npy_intp const *steps, void *data) {
    // (entries are mutable: a deferred one compiles itself on first use)
    static_cast<LoopEntry *>(data)->run(args, dims, steps);
}

int method_loop(PyArrayMethod_Context *, char *const data[], npy_intp const dims[],
                npy_intp const strides[], NpyAuxData *aux) {
    // (lazy ufuncs' entries are compiled before they are registered)
    reinterpret_cast<LoopEntry *>(aux)->run(data, dims, strides);
    return 0;
}

// Entries live as long as the ufunc, so NumPy's copies can share them.
NpyAuxData *aux_clone(NpyAuxData *a) { return a; }
void aux_free(NpyAuxData *) {}

PyArrayMethod_GetLoop *const method_get_loop =
    &get_loop_by_typenums<UfuncState, state_of, method_loop>;

LoopEntry *new_entry(UfuncState &st, const LoopHandle &loop, std::vector<int> typenums) {
    auto e = std::make_unique<LoopEntry>();
    e->aux.free = &aux_free;
    e->aux.clone = &aux_clone;
    e->loop = loop;
    if (loop) {
        e->ins = loop->ins;
        e->outs = loop->outs;
    }
    e->typenums = std::move(typenums);
    e->parallel = st.parallel;
    st.entries.push_back(std::move(e));
    return st.entries.back().get();
}

// Adds `loop` to a lazy ufunc for the input DTypes `ins` as an ArrayMethod.
int add_method_loop(PyObject *ufunc, UfuncState &st, const LoopHandle &loop,
                    const std::vector<PyArray_DTypeMeta *> &ins) {
    std::vector<int> typenums;
    for (PyArray_DTypeMeta *d : ins)
        typenums.push_back(d->type_num);
    for (const Scalar s : loop->outs)
        typenums.push_back(scalar_numpy_typenum(s));
    LoopEntry *entry = new_entry(st, loop, typenums);
    if (add_array_method(ufunc, st.name + "_loop", st.nin, st.nout, typenums, method_get_loop,
                         st.reorderable) < 0)
        return -1;
    st.by_typenums[typenums] = entry;
    st.registered.insert(ins);
    return 0;
}

// The promoter of lazy ufuncs (see the file comment).
int lazy_promoter(PyObject *ufunc, PyArray_DTypeMeta *const op_dtypes[],
                  PyArray_DTypeMeta *const signature[], PyArray_DTypeMeta *new_op_dtypes[]) {
    UfuncState *st = state_of(ufunc);
    if (!st) {
        PyErr_SetString(PyExc_RuntimeError, "loopjit: promoter called for a foreign ufunc");
        return -1;
    }
    const int nin = st->nin, nargs = st->nin + st->nout;
    std::vector<PyArray_DTypeMeta *> ins;
    if (!promoter_input_dtypes(st->name.c_str(), nin, op_dtypes, signature, ins))
        return -1;
    DTypeRefs release{ins};
    std::vector<std::string> names;
    if (!input_dtype_names(st->name.c_str(), ins, names))
        return -1;
    if (!st->registered.count(ins)) {
        try {
            pyb::list arg;
            for (const auto &n : names)
                arg.append(n);
            LoopHandle loop = st->compile(arg).cast<LoopHandle>();
            if (add_method_loop(ufunc, *st, loop, ins) < 0) {
                    return -1;
            }
        } catch (pyb::error_already_set &e) {
            e.restore();
            return -1;
        }
    }
    for (int i = 0; i < nin; ++i) {
        Py_INCREF(ins[i]);
        new_op_dtypes[i] = ins[i];
    }
    for (int i = nin; i < nargs; ++i) {
        Py_XINCREF(op_dtypes[i]);
        new_op_dtypes[i] = op_dtypes[i];
    }
    return 1;
}

void destroy_state(PyObject *capsule) {
    delete static_cast<UfuncState *>(PyCapsule_GetPointer(capsule, kStateCapsule));
}

// Creates the ufunc object; `st` is moved into the capsule the ufunc owns.
pyb::object create(std::unique_ptr<UfuncState> st, int identity, pyb::object identity_value) {
    UfuncState &s = *st;
    PyObject *capsule = PyCapsule_New(st.get(), kStateCapsule, &destroy_state);
    if (!capsule)
        throw pyb::error_already_set();
    st.release();
    PyObject *uf = PyUFunc_FromFuncAndDataAndSignatureAndIdentity(
        s.functions.empty() ? nullptr : s.functions.data(),
        s.data.empty() ? nullptr : s.data.data(), s.types.empty() ? nullptr : s.types.data(),
        static_cast<int>(s.functions.size()), s.nin, s.nout, identity, s.name.c_str(),
        s.doc.c_str(), 0, nullptr, identity_value.is_none() ? nullptr : identity_value.ptr());
    if (!uf) {
        Py_DECREF(capsule);
        throw pyb::error_already_set();
    }
    reinterpret_cast<PyUFuncObject *>(uf)->obj = capsule; // the ufunc owns its state
    return pyb::reinterpret_steal<pyb::object>(uf);
}

std::unique_ptr<UfuncState> new_state(const std::string &name, const std::string &doc, int nin,
                                      int nout, int identity, const std::string &target) {
    if (target != "cpu" && target != "parallel")
        throw pyb::value_error("unknown target '" + target + "'");
    auto st = std::make_unique<UfuncState>();
    st->parallel = target == "parallel";
    st->name = name;
    st->doc = doc;
    st->nin = nin;
    st->nout = nout;
    st->reorderable = identity != PyUFunc_None;
    return st;
}

// Position of a loop in the legacy table: inputs that cast safely to another loop's inputs
// come first (Scalar's order is a linear extension of safe casting; see ir/types.h).
int cast_rank(const std::vector<Scalar> &ins) {
    int r = 0;
    for (Scalar s : ins)
        r += static_cast<int>(s);
    return r;
}

// int64 is both C long and C long long on LP64 platforms, but NumPy keeps two DTypes: a type
// resolver that keeps long long (like= NumPy's own) would find no loop for it. A loop on long
// integers is also registered as an ArrayMethod for long long, which `types` does not list (so
// it stays NumPy's), running the same entry.
void add_longlong_alias(PyObject *ufunc, UfuncState &st, LoopEntry *e) {
    if (sizeof(long) != sizeof(long long))
        return;
    std::vector<int> alias;
    bool any = false;
    for (int t : e->typenums) {
        const int a = t == NPY_LONG ? NPY_LONGLONG : t == NPY_ULONG ? NPY_ULONGLONG : t;
        any = any || a != t;
        alias.push_back(a);
    }
    if (!any || st.by_typenums.count(alias))
        return;
    if (add_array_method(ufunc, st.name + "_longlong_loop", st.nin, st.nout, alias,
                         method_get_loop, st.reorderable) < 0)
        throw pyb::error_already_set();
    st.by_typenums[alias] = e;
}

// One row of a legacy loop table: a compiled loop, or a signature to compile on first use.
struct TableRow {
    std::vector<Scalar> ins, outs;
    LoopHandle loop;
    std::unique_ptr<DeferredCompile> deferred;
};

pyb::object make_table(std::unique_ptr<UfuncState> st, std::vector<TableRow> rows, int identity,
                       pyb::object identity_value) {
    std::stable_sort(rows.begin(), rows.end(), [](const TableRow &a, const TableRow &b) {
        return cast_rank(a.ins) < cast_rank(b.ins);
    });
    std::set<std::vector<Scalar>> seen;
    for (TableRow &row : rows) {
        if (static_cast<int>(row.ins.size()) != st->nin ||
            static_cast<int>(row.outs.size()) != st->nout)
            throw pyb::value_error("loop arity does not match the ufunc's nin/nout");
        if (!seen.insert(row.ins).second) // same inputs twice: the first signature given wins
            continue;
        std::vector<int> typenums;
        for (Scalar s : row.ins)
            typenums.push_back(scalar_numpy_typenum(s));
        for (Scalar s : row.outs)
            typenums.push_back(scalar_numpy_typenum(s));
        LoopEntry *e = new_entry(*st, row.loop, typenums);
        e->ins = row.ins;
        e->outs = row.outs;
        e->deferred = std::move(row.deferred);
        st->functions.push_back(&legacy_loop);
        st->data.push_back(e);
        for (int t : typenums)
            st->types.push_back(static_cast<char>(t));
    }
    UfuncState *state = st.get();
    pyb::object uf = create(std::move(st), identity, identity_value);
    for (const auto &e : state->entries)
        add_longlong_alias(uf.ptr(), *state, e.get());
    return uf;
}

pyb::object make_ufunc(const std::string &name, const std::string &doc, int nin, int nout,
                       std::vector<LoopHandle> loops, int identity, pyb::object identity_value,
                       const std::string &target) {
    std::vector<TableRow> rows;
    for (const LoopHandle &l : loops)
        rows.push_back(TableRow{l->ins, l->outs, l, nullptr});
    return make_table(new_state(name, doc, nin, nout, identity, target), std::move(rows),
                      identity, identity_value);
}

std::vector<Scalar> scalars_of(const std::vector<TypeRef> &types, const std::string &sig) {
    std::vector<Scalar> out;
    for (TypeRef t : types) {
        if (t->kind != TypeKind::Scalar)
            throw pyb::value_error("a ufunc loop signature takes and returns numbers: " + sig);
        out.push_back(t->scalar);
    }
    return out;
}

pyb::object make_deferred_ufunc(const std::string &name, const std::string &doc, int nin,
                                int nout, const std::string &ir,
                                const std::vector<std::string> &signatures, int identity,
                                pyb::object identity_value, const std::string &target,
                                bool fastmath, pyb::object like, bool cache) {
    std::vector<TableRow> rows;
    for (const std::string &text : signatures) {
        Signature sig = parse_signature(text);
        if (!sig.ret)
            throw pyb::value_error("a table signature needs a return type: " + text);
        TableRow row;
        row.ins = scalars_of(sig.args, text);
        row.outs = scalars_of(sig.ret->kind == TypeKind::Tuple ? sig.ret->elems
                                                               : std::vector<TypeRef>{sig.ret},
                              text);
        row.deferred = std::make_unique<DeferredCompile>();
        row.deferred->ir = ir;
        row.deferred->sig = sig;
        row.deferred->opts.fastmath = fastmath;
        row.deferred->opts.cache = cache;
        rows.push_back(std::move(row));
    }
    pyb::object uf = make_table(new_state(name, doc, nin, nout, identity, target),
                                std::move(rows), identity, identity_value);
    if (!like.is_none()) {
        // Resolve dtypes exactly as `like` (a NumPy ufunc) does, special resolvers included
        // (integer true_divide -> float64, boolean subtract refused).
        if (!PyObject_TypeCheck(like.ptr(), &PyUFunc_Type))
            throw pyb::type_error("like= must be a numpy.ufunc");
        reinterpret_cast<PyUFuncObject *>(uf.ptr())->type_resolver =
            reinterpret_cast<PyUFuncObject *>(like.ptr())->type_resolver;
    }
    return uf;
}

pyb::object make_lazy_ufunc(const std::string &name, const std::string &doc, int nin, int nout,
                            pyb::object compile, int identity, pyb::object identity_value,
                            const std::string &target) {
    if (numpy_feature_version() < NPY_2_5_API_VERSION)
        throw std::runtime_error("lazy ufuncs need NumPy >= 2.5");
    auto st = new_state(name, doc, nin, nout, identity, target);
    st->compile = std::move(compile);
    pyb::object uf = create(std::move(st), identity, identity_value);

    // A promoter for any DTypes (None matches anything, reductions included).
    PyObject *dtypes = PyTuple_New(nin + nout);
    for (int i = 0; i < nin + nout; ++i) {
        Py_INCREF(Py_None);
        PyTuple_SET_ITEM(dtypes, i, Py_None);
    }
    PyObject *promoter = PyCapsule_New(reinterpret_cast<void *>(&lazy_promoter),
                                       "numpy._ufunc_promoter", nullptr);
    int rc = promoter ? PyUFunc_AddPromoter(uf.ptr(), dtypes, promoter) : -1;
    Py_DECREF(dtypes);
    Py_XDECREF(promoter);
    if (rc < 0)
        throw pyb::error_already_set();
    return uf;
}

} // namespace

void register_ufunc(pyb::module_ &m) {
    m.attr("IDENTITY_NONE") = static_cast<int>(PyUFunc_None);
    m.attr("IDENTITY_ZERO") = static_cast<int>(PyUFunc_Zero);
    m.attr("IDENTITY_ONE") = static_cast<int>(PyUFunc_One);
    m.attr("IDENTITY_REORDERABLE_NONE") = static_cast<int>(PyUFunc_ReorderableNone);
    m.attr("IDENTITY_VALUE") = static_cast<int>(PyUFunc_IdentityValue);
    m.attr("lazy_ufuncs_supported") = numpy_feature_version() >= NPY_2_5_API_VERSION;
    m.def("make_ufunc", &make_ufunc, pyb::arg("name"), pyb::arg("doc"), pyb::arg("nin"),
          pyb::arg("nout"), pyb::arg("loops"), pyb::arg("identity"),
          pyb::arg("identity_value") = pyb::none(), pyb::arg("target") = "cpu",
          "A numpy.ufunc over compiled loops (exact-dtype loops win).");
    m.def("make_lazy_ufunc", &make_lazy_ufunc, pyb::arg("name"), pyb::arg("doc"),
          pyb::arg("nin"), pyb::arg("nout"), pyb::arg("compile"), pyb::arg("identity"),
          pyb::arg("identity_value") = pyb::none(), pyb::arg("target") = "cpu",
          "A numpy.ufunc that compiles a loop for each new combination of input dtypes.");
    m.def("make_deferred_ufunc", &make_deferred_ufunc, pyb::arg("name"), pyb::arg("doc"),
          pyb::arg("nin"), pyb::arg("nout"), pyb::arg("ir"), pyb::arg("signatures"),
          pyb::arg("identity"), pyb::arg("identity_value") = pyb::none(),
          pyb::arg("target") = "cpu", pyb::arg("fastmath") = false, pyb::arg("like") = pyb::none(),
          pyb::arg("cache") = false,
          "A numpy.ufunc over a table of signatures, each compiled (or, with cache=True, loaded "
          "from the disk cache) the first time it runs.");
    m.def("ufunc_loop_types", [](pyb::object uf) {
        UfuncState *st = state_of(uf.ptr());
        if (!st)
            throw pyb::type_error("not a loopjit ufunc");
        std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> out;
        for (const auto &e : st->entries) {
            std::vector<std::string> ins, outs;
            for (Scalar s : e->ins)
                ins.push_back(scalar_name(s));
            for (Scalar s : e->outs)
                outs.push_back(scalar_name(s));
            out.emplace_back(ins, outs);
        }
        return out;
    }, "The (input dtypes, output dtypes) of each compiled loop of a loopjit ufunc.");
    m.def("ufunc_loop", [](pyb::object uf, std::vector<std::string> ins) -> pyb::object {
        UfuncState *st = state_of(uf.ptr());
        if (!st)
            throw pyb::type_error("not a loopjit ufunc");
        for (const auto &e : st->entries) {
            std::vector<std::string> names;
            for (Scalar s : e->ins)
                names.push_back(scalar_name(s));
            if (names == ins && e->compiled())
                return pyb::cast(e->loop);
        }
        return pyb::none();
    }, "The compiled loop of a loopjit ufunc for the given input dtypes, or None.");
}

} // namespace lj::py
