#include "schedulers/scheduler.h"

namespace lj {
namespace {

class SerialScheduler final : public Scheduler {
public:
    const char *name() const override { return "serial"; }
    void run(ChunkFn chunk, int64_t n, const LoopArgs *args, int64_t) override {
        if (n > 0)
            chunk(0, n, args);
    }
};

} // namespace

Scheduler &serial_scheduler() {
    static SerialScheduler s;
    return s;
}

} // namespace lj
