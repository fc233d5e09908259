#define LOOPJIT_NUMPY_IMPORT
#include "numpy_api.h"

namespace lj::py {

bool import_numpy() {
    if (PyArray_ImportNumPyAPI() < 0)
        return false;
    import_umath1(false);
    return true;
}

unsigned numpy_feature_version() { return PyArray_GetNDArrayCFeatureVersion(); }

bool input_dtype_names(const char *ufunc_name, const std::vector<PyArray_DTypeMeta *> &ins,
                       std::vector<std::string> &names) {
    names.clear();
    for (PyArray_DTypeMeta *d : ins) {
        std::string n = d->singleton ? scalar_of_descr(d->singleton) : "";
        if (n.empty()) {
            PyErr_Format(PyExc_TypeError,
                         "ufunc '%s' did not contain a loop with signature matching types: "
                         "loopjit kernels take numeric dtypes, not %S",
                         ufunc_name, reinterpret_cast<PyObject *>(d));
            return false;
        }
        names.push_back(n);
    }
    return true;
}

int add_array_method(PyObject *ufunc, const std::string &name, int nin, int nout,
                     const std::vector<int> &typenums, PyArrayMethod_GetLoop *get_loop,
                     bool reorderable) {
    std::vector<PyArray_DTypeMeta *> dtypes;
    std::vector<PyArray_Descr *> descrs;
    for (int t : typenums) {
        PyArray_Descr *d = PyArray_DescrFromType(t);
        if (!d) {
            for (PyArray_Descr *x : descrs)
                Py_DECREF(x);
            return -1;
        }
        dtypes.push_back(NPY_DTYPE(d));
        descrs.push_back(d);
    }
    PyType_Slot slots[] = {{NPY_METH_get_loop, reinterpret_cast<void *>(get_loop)},
                           {0, nullptr}};
    PyArrayMethod_Spec spec{};
    spec.name = name.c_str();
    spec.nin = nin;
    spec.nout = nout;
    spec.casting = NPY_NO_CASTING;
    spec.flags = static_cast<NPY_ARRAYMETHOD_FLAGS>(
        NPY_METH_SUPPORTS_UNALIGNED | (reorderable ? NPY_METH_IS_REORDERABLE : 0));
    spec.dtypes = dtypes.data();
    spec.slots = slots;
    const int rc = PyUFunc_AddLoopFromSpec(ufunc, &spec);
    for (PyArray_Descr *d : descrs)
        Py_DECREF(d);
    return rc;
}

bool is_python_scalar_dtype(PyArray_DTypeMeta *d) {
    return d == &PyArray_PyLongDType || d == &PyArray_PyFloatDType ||
           d == &PyArray_PyComplexDType || (d->flags & NPY_DT_ABSTRACT);
}

std::string scalar_of_descr(PyArray_Descr *d) {
    if (!PyTypeNum_ISBOOL(d->type_num) && !PyTypeNum_ISINTEGER(d->type_num) &&
        !PyTypeNum_ISFLOAT(d->type_num) && !PyTypeNum_ISCOMPLEX(d->type_num))
        return "";
    if (PyDataType_ISBYTESWAPPED(d) || d->type_num == NPY_LONGDOUBLE ||
        d->type_num == NPY_CLONGDOUBLE)
        return "";
    const int bits = static_cast<int>(PyDataType_ELSIZE(d)) * 8;
    switch (d->kind) {
    case 'b':
        return "bool";
    case 'i':
        return "int" + std::to_string(bits);
    case 'u':
        return "uint" + std::to_string(bits);
    case 'f':
        return "float" + std::to_string(bits);
    case 'c':
        return "complex" + std::to_string(bits);
    }
    return "";
}

bool promoter_input_dtypes(const char *ufunc_name, int nin, PyArray_DTypeMeta *const op_dtypes[],
                           PyArray_DTypeMeta *const signature[],
                           std::vector<PyArray_DTypeMeta *> &ins, bool each_own_default) {
    ins.assign(static_cast<size_t>(nin), nullptr);
    for (int i = 0; i < nin; ++i) {
        PyArray_DTypeMeta *d = signature[i] ? signature[i] : op_dtypes[i];
        if (!d && i == 0 && nin > 1) // reduce/accumulate pass no first operand
            d = signature[1] ? signature[1] : op_dtypes[1];
        if (!d) {
            PyErr_Format(PyExc_TypeError, "ufunc '%s': cannot determine the input dtypes",
                         ufunc_name);
            return false;
        }
        ins[i] = d;
    }
    // A Python scalar DType's concrete dtype: the common one of all inputs, or its own default.
    // Borrowed results: DTypes of NumPy's builtin dtypes live as long as NumPy.
    auto concrete = [&](PyArray_DTypeMeta *d) -> PyArray_DTypeMeta * {
        PyArray_DTypeMeta *c = each_own_default ? d : PyArray_PromoteDTypeSequence(nin, ins.data());
        if (!c)
            return nullptr;
        if (!each_own_default)
            Py_DECREF(c);
        if (!is_python_scalar_dtype(c))
            return c;
        PyArray_Descr *def = PyArray_GetDefaultDescr(c); // only Python scalars: the default
        if (!def)
            return nullptr;
        PyArray_DTypeMeta *out = NPY_DTYPE(def);
        Py_DECREF(def);
        return out;
    };
    std::vector<PyArray_DTypeMeta *> resolved = ins;
    for (int i = 0; i < nin; ++i) {
        if (!is_python_scalar_dtype(ins[i]))
            continue;
        resolved[i] = concrete(ins[i]);
        if (!resolved[i])
            return false;
    }
    ins = resolved;
    for (PyArray_DTypeMeta *d : ins)
        Py_INCREF(d);
    return true;
}

} // namespace lj::py
