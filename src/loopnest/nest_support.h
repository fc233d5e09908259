// IR pieces the array loop nests (gufunc.cpp, stencil.cpp) share.
#pragma once

#include <llvm/IR/IRBuilder.h>

#include <vector>

namespace lj {

// Whether an array of this shape and byte strides is C-contiguous as NumPy defines it (strides
// of the C order, dimensions of size 1 excepted): an i1.
inline llvm::Value *emit_c_contiguous(llvm::IRBuilder<> &b, const std::vector<llvm::Value *> &shape,
                                      const std::vector<llvm::Value *> &strides,
                                      int64_t itemsize) {
    llvm::Value *ok = b.getTrue();
    llvm::Value *expected = b.getInt64(itemsize);
    for (size_t j = shape.size(); j-- > 0;) {
        ok = b.CreateAnd(ok, b.CreateOr(b.CreateICmpEQ(shape[j], b.getInt64(1)),
                                        b.CreateICmpEQ(strides[j], expected)));
        expected = b.CreateMul(expected, shape[j]);
    }
    return ok;
}

// The LoopArgs fields a chunk function reads ({data, dims, steps, extra}, four pointers).
struct LoopArgsFields {
    llvm::Value *data, *dims, *steps, *extra;
};
inline LoopArgsFields emit_loop_args(llvm::IRBuilder<> &b, llvm::Value *args) {
    auto field = [&](int i) {
        return b.CreateLoad(b.getPtrTy(), b.CreateConstGEP1_64(b.getPtrTy(), args, i));
    };
    return {field(0), field(1), field(2), field(3)};
}

} // namespace lj
