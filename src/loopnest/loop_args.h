// The one calling convention of every loop nest (elementwise, gufunc, stencil, prange body):
//   void chunk(int64_t begin, int64_t end, const LoopArgs *args)
// runs iterations [begin, end) of the outermost parallel dimension. Schedulers call it; they
// never look inside LoopArgs. No LLVM or Python dependency: schedulers and bindings include it.
#pragma once

#include <cstdint>

namespace lj {

struct LoopArgs {
    char *const *data;    // one base pointer per operand (NumPy's `args`)
    const int64_t *dims;  // dims[0] = outer loop length; gufuncs: then core dimensions
    const int64_t *steps; // one outer stride (bytes) per operand; gufuncs: then core strides
    void *extra;          // loop-nest specific (stencil geometry, prange closure); may be null
};

using ChunkFn = void (*)(int64_t begin, int64_t end, const LoopArgs *args);

} // namespace lj
