#include "typing/builtins.h"

namespace lj {

const char *builtin_name(Builtin b) {
    static const char *names[] = {
#define LJ_X(e, name) name,
        LJ_BUILTINS(LJ_X)
#undef LJ_X
    };
    return names[static_cast<int>(b)];
}

} // namespace lj
