// compile_cached (jit/object_cache.h): machine code shared within the process, linked from the
// disk cache, or compiled, linked and stored. Hits and misses go through the same path into the
// JIT (jit_add_object), so every miss also exercises what a later hit will do.
#include "jit/object_cache.h"

#include "support/error.h"

#include <llvm/Support/MemoryBuffer.h>

#include <map>
#include <mutex>

namespace lj {
namespace {

// One key's machine code in this process. Its mutex serializes the key's compilations: two would
// define the same symbols, which the JIT refuses for objects.
struct Slot {
    std::mutex mutex;
    std::weak_ptr<CompiledCode> code;
    std::string metadata;
};

struct KeyLess {
    bool operator()(const CacheKey &a, const CacheKey &b) const { return a.hash < b.hash; }
};

std::shared_ptr<Slot> slot_for(const CacheKey &key) {
    static std::mutex mutex;
    static auto *slots = new std::map<CacheKey, std::shared_ptr<Slot>, KeyLess>;
    static size_t prune_at = 64;
    std::lock_guard<std::mutex> lock(mutex);
    std::shared_ptr<Slot> &slot = (*slots)[key];
    if (!slot)
        slot = std::make_shared<Slot>();
    std::shared_ptr<Slot> out = slot;
    if (slots->size() >= prune_at) {
        // Forget keys whose code is gone and that no one is compiling (only the map holds the
        // slot), so a long-running process does not keep one slot per key it ever compiled.
        for (auto it = slots->begin(); it != slots->end();) {
            if (it->second.use_count() == 1 && it->second->code.expired())
                it = slots->erase(it);
            else
                ++it;
        }
        prune_at = 2 * slots->size() + 64;
    }
    return out;
}

} // namespace

CachedCode compile_cached(const KeyParts &parts,
                          const std::function<BuiltModule(const std::string &prefix)> &build,
                          ObjectCache &cache) {
    const CacheKey key = make_cache_key(parts);
    std::shared_ptr<Slot> slot = slot_for(key);
    std::lock_guard<std::mutex> lock(slot->mutex);
    CachedCode out;
    if ((out.code = slot->code.lock())) {
        cache.count_shared();
        out.metadata = slot->metadata;
        out.source = CachedCode::Source::Process;
        return out;
    }
    if (std::optional<CacheEntry> entry = cache.load(key)) {
        try {
            out.code = jit_add_object(
                llvm::MemoryBuffer::getMemBufferCopy(entry->object, cache.path_of(key)));
            out.metadata = std::move(entry->metadata);
            out.source = CachedCode::Source::Disk;
            cache.count_hit();
        } catch (const CompileError &) {
            // Intact but unusable (it passed the checksum, so not written by this compiler for
            // this key): compile, and replace it.
            cache.count_rejected();
        }
    }
    if (!out.code) {
        cache.count_miss();
        BuiltModule built = build("ljc" + key.hex().substr(0, 24));
        std::unique_ptr<llvm::MemoryBuffer> object = emit_object(*built.module);
        built.module.reset(); // before its context
        built.ctx.reset();
        CacheEntry entry{std::string(object->getBuffer()), std::move(built.metadata)};
        out.code = jit_add_object(std::move(object));
        // Stored once it linked: a file on disk is always one this compiler could load.
        cache.store(key, entry);
        out.metadata = std::move(entry.metadata);
        out.source = CachedCode::Source::Compiled;
    }
    slot->code = out.code;
    slot->metadata = out.metadata;
    return out;
}

} // namespace lj
