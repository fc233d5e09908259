#include "ir/text.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace lj;

TEST(IrText, RoundTrips) {
    const std::string text = "(module\n  (func 1:0 f (params 1:6 (name 1:6 x) (name 1:9 y))\n"
                             "    (block 1:12\n"
                             "      (return 1:12 (binop 1:19 + (binop 1:19 * (int 1:19 2) "
                             "(name 1:23 x)) (float 1:27 0x1.8p+0))))))";
    NodePtr m = parse_ir(text);
    ASSERT_EQ(m->kind, NodeKind::Module);
    const Node *f = m->kid(0);
    EXPECT_EQ(f->name, "f");
    EXPECT_EQ(f->kid(0)->kids.size(), 2u);
    EXPECT_EQ(print_ir(*parse_ir(print_ir(*m))), print_ir(*m));
    const Node *ret = f->kid(1)->kid(0);
    EXPECT_EQ(ret->kind, NodeKind::Return);
    EXPECT_EQ(ret->kid(0)->op, Op::Add);
    EXPECT_EQ(ret->kid(0)->kid(1)->fval, 1.5);
    EXPECT_EQ(ret->kid(0)->loc.line, 1);
    EXPECT_EQ(ret->kid(0)->loc.col, 19);
}

TEST(IrText, SpecialFloatsAndComplex) {
    NodePtr n = parse_ir("(tuple 2:3 (float 2:3 nan) (float 2:4 -inf) (complex 2:5 0x0p+0 0x1p+1))");
    EXPECT_TRUE(std::isnan(n->kid(0)->fval));
    EXPECT_EQ(n->kid(1)->fval, -INFINITY);
    EXPECT_EQ(n->kid(2)->fimag, 2.0);
}

TEST(IrText, MalformedTextIsAnError) {
    EXPECT_THROW(parse_ir("(binop 1:0 +"), CompileError);
    EXPECT_THROW(parse_ir("(nosuchkind 1:0)"), CompileError);
    EXPECT_THROW(parse_ir("(binop 1:0 +++ (int 1:0 1) (int 1:0 2))"), CompileError);
}
