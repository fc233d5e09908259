// Type inference of a program: the entry function for the signature's types, every "@f" it
// calls specialized per argument types (recursion refused), unused specializations dropped.
#include "typing/infer_internal.h"

#include "typing/signature.h"

#include <algorithm>

namespace lj {
namespace infer {

ProgramInferer::ProgramInferer(const Node &module) : module_(module) {
    if (module.kind != NodeKind::Module || module.kids.empty())
        throw CompileError(ErrorKind::Internal, "type inference needs a module with a function");
    for (const auto &f : module.kids) {
        if (f->kind != NodeKind::Func || f->kids.size() != 2)
            throw CompileError(ErrorKind::Internal, "malformed function in module", f->loc);
        funcs_.emplace(f->name, f.get());
    }
}

TypedProgram ProgramInferer::run(const std::vector<TypeRef> &params, TypeRef ret) {
    const Node &entry = *module_.kid(0);
    size_t n = entry.kid(0)->kids.size();
    if (n != params.size()) {
        Signature sig{params, ret};
        auto plural = [](size_t k) {
            return std::to_string(k) + (k == 1 ? " argument" : " arguments");
        };
        throw CompileError(ErrorKind::Signature,
                           entry.name + "() takes " + plural(n) + " but the signature '" +
                               signature_string(sig) + "' has " + std::to_string(params.size()),
                           entry.loc, entry.name);
    }
    prog_.functions.emplace_back();
    active_.push_back(entry.name);
    TypedFunction f = FunctionInferer(*this, entry, params, ret).run(nullptr);
    prog_.functions[0] = std::move(f);
    active_.clear();
    prune();
    return std::move(prog_);
}

int ProgramInferer::specialize(const Node &call, const std::vector<TypeRef> &args, TypeRef *ret) {
    std::string name = call.name.substr(1);
    auto it = funcs_.find(name);
    if (it == funcs_.end())
        typing_error(call.loc, "name '" + name + "' is not defined");
    const Node &func = *it->second;
    size_t n = func.kid(0)->kids.size();
    if (n != args.size())
        typing_error(call.loc, name + "() takes " + std::to_string(n) + " positional argument" +
                                   (n == 1 ? "" : "s") + " but " + std::to_string(args.size()) +
                                   (args.size() == 1 ? " was" : " were") + " given");
    auto key = std::make_pair(name, args);
    auto done = done_.find(key);
    if (done != done_.end()) {
        *ret = done->second.second;
        return done->second.first;
    }
    if (std::find(active_.begin(), active_.end(), name) != active_.end())
        unsupported(call.loc, "recursive call to '" + name +
                                  "': recursion is not supported in "
                                  "kernels");
    active_.push_back(name);
    TypedFunction f;
    TypeRef weak_ret = nullptr;
    try {
        f = FunctionInferer(*this, func, args, nullptr).run(&weak_ret);
    } catch (...) {
        active_.pop_back();
        throw;
    }
    active_.pop_back();
    int index = static_cast<int>(prog_.functions.size());
    prog_.functions.push_back(std::move(f));
    *ret = weak_ret ? weak_ret : none_type();
    done_[key] = {index, *ret};
    return index;
}

namespace {

void collect_calls(const Node &n, std::vector<int> &out) {
    if (n.kind == NodeKind::Call && !n.name.empty() && n.name[0] == '@')
        out.push_back(n.slot);
    for (const auto &k : n.kids)
        collect_calls(*k, out);
}

void remap_calls(Node &n, const std::vector<int> &map) {
    if (n.kind == NodeKind::Call && !n.name.empty() && n.name[0] == '@')
        n.slot = map[n.slot];
    for (auto &k : n.kids)
        remap_calls(*k, map);
}

} // namespace

// Drops specializations made in passes whose types were later widened (no call refers to them).
void ProgramInferer::prune() {
    size_t n = prog_.functions.size();
    std::vector<int> map(n, -1), order{0};
    map[0] = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        std::vector<int> callees;
        collect_calls(*prog_.functions[order[i]].func, callees);
        for (int c : callees)
            if (map[c] < 0) {
                map[c] = static_cast<int>(order.size());
                order.push_back(c);
            }
    }
    std::vector<TypedFunction> kept;
    for (int old : order)
        kept.push_back(std::move(prog_.functions[old]));
    for (auto &f : kept)
        remap_calls(*f.func, map);
    prog_.functions = std::move(kept);
}

} // namespace infer

TypedProgram infer_types(const Node &module, const std::vector<TypeRef> &params, TypeRef ret) {
    return infer::ProgramInferer(module).run(params, ret);
}

} // namespace lj
