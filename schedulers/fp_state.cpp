// x86-64 keeps the FP environment in MXCSR (SSE/AVX) and the x87 control/status words. Workers
// run with the caller's control so results are bit-identical to a serial run; the intrinsics
// cost a few cycles per chunk where fegetenv/fesetenv (fnstenv/fldenv) cost about a hundred.
#include "schedulers/fp_state.h"

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace lj::detail {

#if defined(__x86_64__)
namespace {

constexpr uint32_t kMxcsrFlags = 0x3f; // IE DE ZE OE UE PE

uint16_t x87_control_word() {
    uint16_t cw;
    __asm__ __volatile__("fnstcw %0" : "=m"(cw));
    return cw;
}

void load_x87_control_word(uint16_t cw) {
    __asm__ __volatile__("fldcw %0" : : "m"(cw));
}

void clear_x87_flags() {
    __asm__ __volatile__("fnclex");
}

} // namespace

FpControl current_fp_control() {
    return {_mm_getcsr() & ~kMxcsrFlags, x87_control_word()};
}

WorkerFpScope::WorkerFpScope(const FpControl &caller)
    : saved_{_mm_getcsr(), x87_control_word()}, x87_changed_(caller.x87_cw != saved_.x87_cw) {
    _mm_setcsr(caller.mxcsr);
    clear_x87_flags();
    if (x87_changed_)
        load_x87_control_word(caller.x87_cw);
}

WorkerFpScope::~WorkerFpScope() {
    _mm_setcsr(saved_.mxcsr);
    clear_x87_flags();
    if (x87_changed_)
        load_x87_control_word(saved_.x87_cw);
}

#else

FpControl current_fp_control() {
    FpControl c;
    std::fegetenv(&c.env);
    return c;
}

WorkerFpScope::WorkerFpScope(const FpControl &caller) {
    std::fegetenv(&saved_.env);
    std::fesetenv(&caller.env);
    std::feclearexcept(FE_ALL_EXCEPT);
}

WorkerFpScope::~WorkerFpScope() {
    std::fesetenv(&saved_.env);
}

#endif

void raise_fp_flags(int flags) {
    flags &= FE_ALL_EXCEPT;
    if (flags != 0)
        std::feraiseexcept(flags);
}

} // namespace lj::detail
