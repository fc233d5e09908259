// Carries the calling thread's floating-point control (rounding, FTZ/DAZ, exception masks) to
// worker threads, and the exception flags their chunks raise back to the caller.
#pragma once

#include <cfenv>
#include <cstdint>

namespace lj::detail {

struct FpControl {
#if defined(__x86_64__)
    uint32_t mxcsr;  // SSE control and status register, status bits cleared
    uint16_t x87_cw; // x87 control word (long double and libm code that still uses x87)
#else
    std::fenv_t env;
#endif
};

FpControl current_fp_control();

// On a worker thread around one chunk: loads the caller's control with all flags clear, and
// restores the worker's own control afterwards.
class WorkerFpScope {
public:
    explicit WorkerFpScope(const FpControl &caller);
    ~WorkerFpScope();
    WorkerFpScope(const WorkerFpScope &) = delete;
    WorkerFpScope &operator=(const WorkerFpScope &) = delete;
    // FE_* flags raised on this thread since construction.
    int raised() const { return std::fetestexcept(FE_ALL_EXCEPT); }

private:
    FpControl saved_;
#if defined(__x86_64__)
    bool x87_changed_;
#endif
};

// Raises `flags` (FE_*) in the calling thread's FP status, as its own operations would have.
void raise_fp_flags(int flags);

} // namespace lj::detail
