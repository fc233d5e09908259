// The per-thread host TargetMachines (code generation, and the optimizer's when its features
// differ) and the JIT target configuration, all from Target::host(); LLVM's one-time set-up.
#include "jit/host_machine.h"

#include "codegen/target.h"
#include "support/error.h"

#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/TargetParser/SubtargetFeature.h>

#include <memory>
#include <mutex>

namespace lj {

namespace {

// Code generation settings that only exist as LLVM command-line options; each is left alone if
// the process already set it. Loop strength reduction (with the loop analyses it needs) took a
// fifth of code generation for our modules and changes nothing in their loops, which address
// memory the way it would (a pointer per operand, advanced by its step): disabled.
void set_codegen_options() {
    llvm::StringMap<llvm::cl::Option *> &options = llvm::cl::getRegisteredOptions();
    auto set = [&](const char *name, const char *value) {
        auto it = options.find(name);
        if (it != options.end() && it->second->getNumOccurrences() == 0)
            it->second->addOccurrence(0, name, value);
    };
    set("disable-lsr", "true");
}

std::unique_ptr<llvm::TargetMachine> create_machine(bool for_optimizer) {
    auto created = host_jtmb(for_optimizer).createTargetMachine();
    if (!created)
        throw CompileError(ErrorKind::Internal, "cannot create the host target machine: " +
                                                    llvm::toString(created.takeError()));
    return std::move(*created);
}

} // namespace

void init_native_target() {
    static std::once_flag once;
    std::call_once(once, [] {
        llvm::InitializeNativeTarget();
        llvm::InitializeNativeTargetAsmPrinter();
        set_codegen_options();
    });
}

llvm::orc::JITTargetMachineBuilder host_jtmb(bool for_optimizer) {
    init_native_target();
    const Target &t = Target::host();
    llvm::orc::JITTargetMachineBuilder jtmb{llvm::Triple(t.triple)};
    jtmb.setCPU(t.cpu);
    jtmb.addFeatures(
        llvm::SubtargetFeatures(for_optimizer ? t.optimizer_features : t.features).getFeatures());
    jtmb.setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
    // The JIT linker places a module's code and constants together and reaches other code
    // through stubs, so the small code model (shorter, faster addressing) is safe.
    jtmb.setCodeModel(llvm::CodeModel::Small);
    jtmb.setRelocationModel(llvm::Reloc::PIC_);
    jtmb.getOptions().EmulatedTLS = false;
    return jtmb;
}

llvm::TargetMachine &host_target_machine() {
    thread_local std::unique_ptr<llvm::TargetMachine> tm = create_machine(false);
    return *tm;
}

llvm::TargetMachine &host_optimizer_machine() {
    const Target &t = Target::host();
    if (t.optimizer_features == t.features)
        return host_target_machine();
    thread_local std::unique_ptr<llvm::TargetMachine> tm = create_machine(true);
    return *tm;
}

bool host_has_feature(const char *feature) {
    const llvm::MCSubtargetInfo *sti = host_target_machine().getMCSubtargetInfo();
    return sti->checkFeatures(std::string("+") + feature);
}

} // namespace lj
