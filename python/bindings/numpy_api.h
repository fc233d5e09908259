// Includes NumPy's C API (arrays and ufuncs) the same way in every file of the extension. We
// build against NumPy 2.x headers for the NumPy 2.0 ABI, so one build runs on NumPy >= 2.0.
#pragma once

#include <Python.h>

#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#define NPY_TARGET_VERSION NPY_2_0_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL loopjit_ARRAY_API
#define PY_UFUNC_UNIQUE_SYMBOL loopjit_UFUNC_API
#ifndef LOOPJIT_NUMPY_IMPORT
#define NO_IMPORT_ARRAY
#define NO_IMPORT_UFUNC
#endif
#include <numpy/arrayobject.h>
#include <numpy/dtype_api.h>
#include <numpy/ufuncobject.h>

#include <string>
#include <vector>

namespace lj::py {

// Imports NumPy's C API tables; called once when the extension module loads.
bool import_numpy();

// NumPy's runtime C-API feature version (NPY_2_5_API_VERSION and up allow promoters to add
// loops, which lazy ufuncs need).
unsigned numpy_feature_version();

// Owns the references promoter_input_dtypes returns (released when it goes out of scope).
struct DTypeRefs {
    std::vector<PyArray_DTypeMeta *> &v;
    ~DTypeRefs() {
        for (PyArray_DTypeMeta *d : v)
            Py_DECREF(d);
    }
};

// The loopjit dtype names of resolved input DTypes ("float32"), or false with NumPy's "no loop
// matching" TypeError (naming `ufunc_name`) for a DType loopjit kernels cannot take.
bool input_dtype_names(const char *ufunc_name, const std::vector<PyArray_DTypeMeta *> &ins,
                       std::vector<std::string> &names);

// Adds to `ufunc` an ArrayMethod for the dtypes `typenums` (inputs then outputs), exact (no
// casting), unaligned data accepted, whose strided loop comes from `get_loop`. -1 with a
// Python error set on failure.
int add_array_method(PyObject *ufunc, const std::string &name, int nin, int nout,
                     const std::vector<int> &typenums, PyArrayMethod_GetLoop *get_loop,
                     bool reorderable = false);

// The get_loop of loopjit's ArrayMethods: the entry of the calling (g)ufunc's state for the
// call's dtypes (State::by_typenums, keyed by every operand's type number), whose `aux` NumPy
// hands back to `loop`. Strided loops may raise FP errors and need no Python API.
template <class State, State *(*state_of)(PyObject *), PyArrayMethod_StridedLoop *loop>
int get_loop_by_typenums(PyArrayMethod_Context *ctx, int, int, const npy_intp *,
                         PyArrayMethod_StridedLoop **out_loop, NpyAuxData **out_aux,
                         NPY_ARRAYMETHOD_FLAGS *flags) {
    State *st = ctx->caller ? state_of(ctx->caller) : nullptr;
    if (!st) {
        PyErr_SetString(PyExc_RuntimeError, "loopjit: loop called without its ufunc");
        return -1;
    }
    std::vector<int> key;
    for (int i = 0; i < st->nin + st->nout; ++i)
        key.push_back(ctx->descriptors[i]->type_num);
    auto it = st->by_typenums.find(key);
    if (it == st->by_typenums.end()) {
        PyErr_Format(PyExc_RuntimeError, "loopjit: ufunc '%s' has no loop for these dtypes",
                     st->name.c_str());
        return -1;
    }
    *out_loop = loop;
    *out_aux = &it->second->aux;
    *flags = static_cast<NPY_ARRAYMETHOD_FLAGS>(0);
    return 0;
}

// The DTypes NumPy gives Python int, float and complex operands (weak under NEP 50).
bool is_python_scalar_dtype(PyArray_DTypeMeta *d);

// The loopjit scalar name of a NumPy descriptor ("float32"), or "" if it has none.
std::string scalar_of_descr(PyArray_Descr *d);

// The input DTypes a promoter resolves a call to: signature[i] or op_dtypes[i] (for reductions,
// which pass no first operand, the second); Python scalars take the common DType of all
// inputs, as NEP 50 does (its default dtype when every input is a Python scalar); with
// `each_own_default`, each takes its own default dtype (int -> int64), which suits gufuncs,
// whose inputs play different roles. New references in `ins`; false with a Python error set
// (naming `ufunc_name`) on failure.
bool promoter_input_dtypes(const char *ufunc_name, int nin, PyArray_DTypeMeta *const op_dtypes[],
                           PyArray_DTypeMeta *const signature[],
                           std::vector<PyArray_DTypeMeta *> &ins, bool each_own_default = false);

} // namespace lj::py
