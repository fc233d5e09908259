// Lowering of one typed function to LLVM IR, shared by kernel.cpp (the function, locals and
// statements) and expressions.cpp. Locals live in allocas in the entry block; LLVM's
// mem2reg/SROA turn them into registers.
#pragma once

#include "codegen/context.h"

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
