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

} // namespace lj::py
