// Which of the vector math entry points (table.h) this host can run, under which names: the
// x86-64 vector function ABI names the loop vectorizer calls and the libm names scalar calls
// use. See vmath.h.
#include "vmath/vmath.h"

#include "jit/host_machine.h"
#include "vmath/table.h"

#include <cstdlib>
#include <map>

namespace lj::vmath {
namespace {

struct Registry {
    bool enabled = false;
    std::map<std::string, std::string> variants; // "e8 expf" style key -> symbol name
    std::vector<std::pair<std::string, void *>> symbols;
};

bool requested() {
    const char *v = std::getenv("LOOPJIT_VECTOR_MATH");
    return !(v && std::string(v) == "libmvec");
}

std::string key(const std::string &name, char isa, int lanes) {
    return std::string(1, isa) + std::to_string(lanes) + " " + name;
}

// Adds one table's variants: its double functions with `lanes` lanes, float with twice as many.
void add_variants(Registry &r, EntryTable t, char isa, int lanes) {
    for (int i = 0; i < t.count; ++i) {
        const EntryPoint &e = t.entries[i];
        const std::string vs(static_cast<size_t>(e.nargs), 'v');
        for (int is_float = 0; is_float < 2; ++is_float) {
            const std::string name = std::string(e.name) + (is_float ? "f" : "");
            const int n = is_float ? 2 * lanes : lanes;
            const std::string sym =
                "_ZGV" + std::string(1, isa) + "N" + std::to_string(n) + vs + "_loopjit_" + name;
            r.variants[key(name, isa, n)] = sym;
            r.symbols.emplace_back(sym, is_float ? e.f : e.d);
        }
    }
}

Registry build() {
    Registry r;
    // The kernels use AVX2 and FMA instructions at every width.
    if (!requested() || !host_has_feature("avx2") || !host_has_feature("fma") ||
        scalar_entries().count == 0)
        return r;
    r.enabled = true;
    if (host_has_feature("avx512f") && host_has_feature("avx512dq") && host_has_feature("avx512vl"))
        add_variants(r, avx512_entries(), 'e', 8);
    add_variants(r, avx2_entries(), 'd', 4);
    add_variants(r, xmm_entries(), 'b', 2);
    for (EntryTable t : {scalar_entries(), sincos_entries()}) {
        for (int i = 0; i < t.count; ++i) {
            r.symbols.emplace_back(t.entries[i].name, t.entries[i].d);
            r.symbols.emplace_back(std::string(t.entries[i].name) + "f", t.entries[i].f);
        }
    }
    return r;
}

const Registry &registry() {
    static const Registry r = build();
    return r;
}

} // namespace

bool enabled() {
    return registry().enabled;
}

std::string variant_name(const std::string &name, char isa, int lanes) {
    const auto &v = registry().variants;
    auto it = v.find(key(name, isa, lanes));
    return it == v.end() ? std::string() : it->second;
}

const std::vector<std::pair<std::string, void *>> &jit_symbols() {
    return registry().symbols;
}

const char *library_name() {
    return enabled() ? "loopjit" : "libmvec";
}

} // namespace lj::vmath
