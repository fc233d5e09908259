// A kernel's cost per element, for choosing how to run its loop: schedulers split work into
// pieces only when a piece carries enough of it (schedulers/control.h grain_for). One unit is
// one streaming float64 `a * b + c`; the estimate only needs to be right within a few times.
#pragma once

#include "typing/infer.h"

namespace lj {

double estimate_cost(const TypedProgram &prog);

// The trips the estimate assumes for a loop inside the kernel, whose count it cannot see.
constexpr double kLoopTripsGuess = 16.0;

} // namespace lj
