// Lowering of one typed function to LLVM IR, shared by kernel.cpp (the function, locals and
// statements) and expressions.cpp. Locals live in allocas in the entry block; LLVM's
// mem2reg/SROA turn them into registers.
#pragma once

#include "codegen/context.h"
#include "loopnest/kernel_runtime.h"

#include <functional>

#include <string>
#include <vector>

namespace lj::codegen {

class FunctionEmitter {
public:
    FunctionEmitter(CodegenCtx &cx, const TypedProgram &prog,
                    const std::vector<llvm::Function *> &fns, size_t index);
    void emit();

private:
    CodegenCtx &cx_;
    llvm::IRBuilder<> &b_;
    const TypedProgram &prog_;
    const std::vector<llvm::Function *> &fns_;
    const TypedFunction &tf_;
    llvm::Function *fn_;
    std::vector<llvm::AllocaInst *> slots_;
    struct Loop {
        llvm::BasicBlock *cont, *brk;
    };
    std::vector<Loop> loops_;
    llvm::AllocaInst *scratch_head_ = nullptr; // list of this function's scratch arrays

    llvm::Type *value_type(TypeRef t) const;
    llvm::AllocaInst *entry_alloca(llvm::Type *ty, const std::string &name);
    llvm::BasicBlock *new_block(const char *name);
    bool terminated() const;
    void branch_to(llvm::BasicBlock *bb);   // unless the current block already ended
    void continue_at(llvm::BasicBlock *bb); // a join point; dropped if nothing jumps to it
    llvm::Value *load_local(int slot);
    void store_local(int slot, llvm::Value *v, TypeRef t);

    // Statements (kernel.cpp).
    void block(const Node &n);
    void stmt(const Node &n);
    void assign(const Node &target, llvm::Value *v, TypeRef t);
    void aug_assign(const Node &n);
    void if_stmt(const Node &n);
    void while_stmt(const Node &n);
    void for_stmt(const Node &n);
    void return_stmt(const Node &n);
    llvm::Value *trip_count(llvm::Value *start, llvm::Value *stop, llvm::Value *step);

    // Expressions (expressions.cpp).
    llvm::Value *expr(const Node &n);
    llvm::Value *literal(const Node &n);
    llvm::Value *unary(const Node &n);
    llvm::Value *compare(const Node &n);
    llvm::Value *and_or(const Node &n);
    llvm::Value *if_exp(const Node &n);
    llvm::Value *call(const Node &n);
    llvm::Value *tuple(const Node &n);
    // Arrays (arrays.cpp).
    llvm::Value *array_data(llvm::Value *a);
    llvm::Value *array_shape(llvm::Value *a, int k);
    llvm::Value *array_stride(llvm::Value *a, TypeRef t, int k);
    llvm::Value *make_array(TypeRef t, llvm::Value *data, const std::vector<llvm::Value *> &shape,
                            const std::vector<llvm::Value *> &strides);
    void emit_return(llvm::Value *v);
    llvm::FunctionCallee runtime_fn(const char *name, llvm::FunctionType *fty);
    llvm::Value *error_record();
    void fail_if(llvm::Value *failed, KernelErrorKind kind, const std::string &what,
                 llvm::Value *a, llvm::Value *b, llvm::Value *c, SourceLoc loc);
    llvm::Value *wrap_index(llvm::Value *i, llvm::Value *size, int axis, const std::string &array,
                            SourceLoc loc);
    struct SliceBounds {
        llvm::Value *start, *step, *length;
    };
    SliceBounds slice_bounds(const Node &s, llvm::Value *size);
    struct Indexed {
        llvm::Value *ptr;  // the element, or the view's first element
        llvm::Value *view; // the view, or null for one element
    };
    Indexed index_array(const Node &n);
    llvm::Value *get_item(const Node &n);
    void for_each_element(llvm::Value *a, TypeRef t,
                          const std::function<void(llvm::Value *)> &body);
    void store_item(const Node &target, llvm::Value *v, TypeRef vt);
    void aug_store_item(const Node &n);
    llvm::Value *array_attr(const Node &n);
    llvm::Value *length(const Node &call);
    llvm::Value *alloc_array(const Node &n);
    llvm::Value *stencil_read(const Node &n); // stencil_access.cpp

    // `cond ? x : y` where each arm is an already computed value or a node still to evaluate.
    // A select when the arms are free of side effects and calls of loopjit functions (which
    // may loop), else branches: only the chosen arm runs.
    struct Arm {
        const Node *node;
        llvm::Value *value;
    };
    llvm::Value *choose(llvm::Value *cond, Arm x, Arm y);
};

// A literal condition Python treats as always true (`while True:`, `while 1:`): the loop's exit
// is reached only through break. Type inference's missing-return check uses the same rule.
bool constant_truthy(const Node &n);

} // namespace lj::codegen
