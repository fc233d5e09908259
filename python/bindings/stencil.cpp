// Python access to compiled stencils (src/compile_stencil.h): compile for one set of argument
// types, and run over arrays into an output array, serially or split by rows over the
// threading layer with the GIL released.
#include "stencil.h"

#include "compile.h"
#include "kernel_error.h"
#include "numpy_api.h"

#include "compile_stencil.h"
#include "schedulers/control.h"
#include "typing/signature.h"

#include <pybind11/complex.h>
#include <pybind11/stl.h>

#include <complex>
#include <optional>

namespace pyb = pybind11;

namespace lj::py {
namespace {

using StencilHandle = std::shared_ptr<CompiledStencil>;

StencilOperand::Kind kind_of(const std::string &k) {
    if (k == "relative")
        return StencilOperand::Kind::Relative;
    if (k == "standard")
        return StencilOperand::Kind::Standard;
    if (k == "number")
        return StencilOperand::Kind::Number;
    throw pyb::value_error("unknown stencil operand kind '" + k + "'");
}

KernelOptions::StencilMode mode_of(const std::string &m) {
    using M = KernelOptions::StencilMode;
    if (m == "constant")
        return M::Constant;
    if (m == "nearest")
        return M::Nearest;
    if (m == "reflect")
        return M::Reflect;
    if (m == "mirror")
        return M::Mirror;
    if (m == "wrap")
        return M::Wrap;
    throw pyb::value_error("unknown border mode '" + m + "'");
}

StencilHandle compile(const std::string &ir, const std::vector<std::string> &arg_types,
                      const std::vector<std::string> &kinds, const std::string &mode,
                      std::complex<double> cval,
                      const std::vector<std::pair<int64_t, int64_t>> &neighborhood,
                      const std::optional<std::string> &out_dtype, bool boundscheck,
                      bool fastmath, int debug) {
    Signature sig;
    for (const auto &t : arg_types)
        sig.args.push_back(parse_type(t));
    StencilSpec spec;
    for (const auto &k : kinds)
        spec.kinds.push_back(kind_of(k));
    spec.mode = mode_of(mode);
    spec.cval = cval.real();
    spec.cval_imag = cval.imag();
    spec.neighborhood = neighborhood;
    if (out_dtype)
        spec.out = parse_type(*out_dtype);
    CompileOptions opts;
    opts.boundscheck = boundscheck;
    opts.fastmath = fastmath;
    opts.debug = debug;
    pyb::gil_scoped_release release;
    return std::make_shared<CompiledStencil>(compile_stencil(ir, sig, spec, opts));
}

PyArrayObject *as_array(pyb::handle h) {
    if (!PyArray_Check(h.ptr()))
        throw pyb::type_error("run_stencil takes NumPy arrays");
    return reinterpret_cast<PyArrayObject *>(h.ptr());
}

// Runs `s` over `args` (arrays of the compiled dtypes; numbers as 0-d arrays) into `out`.
void run(const CompiledStencil &s, const std::vector<pyb::object> &args, pyb::object out_obj,
         bool parallel, const std::string &origin) {
    if (args.size() != s.operands.size())
        throw pyb::value_error("run_stencil: wrong number of arguments");
    std::vector<char *> data;
    std::vector<int64_t> dims, steps;
    auto add = [&](PyArrayObject *a, int ndim, Scalar dtype) {
        if (PyArray_NDIM(a) != ndim || PyArray_DESCR(a)->type_num != scalar_numpy_typenum(dtype))
            throw pyb::value_error("run_stencil: an argument does not match the compiled types");
        data.push_back(static_cast<char *>(PyArray_DATA(a)));
        for (int d = 0; d < ndim; ++d) {
            dims.push_back(PyArray_DIM(a, d));
            steps.push_back(PyArray_STRIDE(a, d));
        }
    };
    for (size_t k = 0; k < args.size(); ++k) {
        const StencilOperand &op = s.operands[k];
        add(as_array(args[k]), op.kind == StencilOperand::Kind::Number ? 0 : op.ndim, op.dtype);
    }
    PyArrayObject *out = as_array(out_obj);
    if (!PyArray_ISWRITEABLE(out))
        throw pyb::value_error("the output array is read-only");
    add(out, s.ndim, s.out);
    const int64_t rows = PyArray_DIM(out, 0);
    int64_t size = 1;
    for (int d = 0; d < s.ndim; ++d)
        size *= PyArray_DIM(out, d);
    if (size == 0)
        return;
    KernelError err;
    const LoopArgs la{data.data(), dims.data(), steps.data(), s.can_raise ? &err : nullptr};
    const double row_cost = s.cost * static_cast<double>(size / rows);
    {
        pyb::gil_scoped_release release;
        const int64_t grain = parallel ? grain_for(rows, row_cost) : rows;
        if (grain < rows)
            run_parallel(s.chunk, rows, &la, grain, true);
        else
            s.chunk(0, rows, &la);
    }
    if (err.raised.load()) {
        set_kernel_error(err, origin);
        throw pyb::error_already_set();
    }
}

} // namespace

void register_stencil(pyb::module_ &m) {
    pyb::class_<CompiledStencil, StencilHandle>(m, "StencilLoop")
        .def_property_readonly("out_dtype",
                               [](const CompiledStencil &s) { return scalar_name(s.out); })
        .def_readonly("lo", &CompiledStencil::lo)
        .def_readonly("hi", &CompiledStencil::hi)
        .def_readonly("typed_ir", &CompiledStencil::typed_ir)
        .def_readonly("llvm_ir", &CompiledStencil::llvm_ir)
        .def_readonly("compile_seconds", &CompiledStencil::compile_seconds);
    m.def("compile_stencil", &compile, pyb::arg("ir"), pyb::arg("arg_types"), pyb::arg("kinds"),
          pyb::arg("mode"), pyb::arg("cval"), pyb::arg("neighborhood"), pyb::arg("out_dtype"),
          pyb::arg("boundscheck") = false, pyb::arg("fastmath") = false, pyb::arg("debug") = 0,
          "Compiles a stencil kernel (its module IR) for the given argument types.");
    m.def("run_stencil", &run, pyb::arg("loop"), pyb::arg("args"), pyb::arg("out"),
          pyb::arg("parallel"), pyb::arg("origin"),
          "Computes every point of `out` with a compiled stencil.");
}

} // namespace lj::py
