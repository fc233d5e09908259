// Run-time support of compiled kernels (see kernel_runtime.h).
#include "loopnest/kernel_runtime.h"

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

namespace lj {

const char *const kKernelErrorSymbol = "loopjit_kernel_error";
const char *const kScratchAllocSymbol = "loopjit_scratch_alloc";
const char *const kScratchReleaseSymbol = "loopjit_scratch_release";

namespace {

// The header in front of each scratch block: the previous block, keeping the list.
struct alignas(64) ScratchHeader {
    ScratchHeader *next;
};

} // namespace

extern "C" void loopjit_kernel_error(KernelError *err, int32_t kind, const char *what, int64_t a,
                                     int64_t b, int64_t c, int32_t line, int32_t col) {
    if (!err)
        return;
    int32_t expected = 0;
    // Threads of a parallel call may fail at once: one writes the message, the others lose.
    if (!err->raised.compare_exchange_strong(expected, -1))
        return;
    std::string msg;
    switch (static_cast<KernelErrorKind>(kind)) {
    case KernelErrorKind::Index:
        msg = "index " + std::to_string(a) + " is out of bounds for axis " + std::to_string(b) +
              " with size " + std::to_string(c) + " (array '" + what + "')";
        break;
    case KernelErrorKind::Neighborhood:
        msg = "relative index " + std::to_string(a) + " on axis " + std::to_string(b) +
              " of array '" + what + "' is outside the stencil's neighborhood";
        break;
    case KernelErrorKind::Memory:
        msg = "unable to allocate a scratch array of " + std::to_string(a) + " bytes";
        break;
    default:
        msg = what;
        break;
    }
    err->kind = static_cast<KernelErrorKind>(kind);
    err->message = msg;
    err->line = line;
    err->col = col;
    err->raised.store(1, std::memory_order_release);
}

extern "C" void *loopjit_scratch_alloc(void **head, int64_t nbytes, int32_t zero,
                                       KernelError *err, int32_t line, int32_t col) {
    if (nbytes < 0) {
        loopjit_kernel_error(err, static_cast<int32_t>(KernelErrorKind::Value),
                             "negative dimensions are not allowed", 0, 0, 0, line, col);
        return nullptr;
    }
    const size_t size = sizeof(ScratchHeader) + static_cast<size_t>(nbytes);
    void *mem = std::aligned_alloc(64, (size + 63) / 64 * 64);
    if (!mem) {
        loopjit_kernel_error(err, static_cast<int32_t>(KernelErrorKind::Memory), "", nbytes, 0,
                             0, line, col);
        return nullptr;
    }
    auto *h = new (mem) ScratchHeader{static_cast<ScratchHeader *>(*head)};
    *head = h;
    void *data = h + 1;
    if (zero)
        std::memset(data, 0, static_cast<size_t>(nbytes));
    return data;
}

extern "C" void loopjit_scratch_release(void *head) {
    auto *h = static_cast<ScratchHeader *>(head);
    while (h) {
        ScratchHeader *next = h->next;
        std::free(h);
        h = next;
    }
}

} // namespace lj
