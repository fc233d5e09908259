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

namespace lj::py {

// Imports NumPy's C API tables; called once when the extension module loads.
bool import_numpy();

// NumPy's runtime C-API feature version (NPY_2_5_API_VERSION and up allow promoters to add
// loops, which lazy ufuncs need).
unsigned numpy_feature_version();

} // namespace lj::py
