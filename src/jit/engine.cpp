// The process-wide ORC LLJIT: created on first use, never destroyed (ufuncs holding machine code
// may outlive any static destructor order), compiling on the calling thread with that thread's
// TargetMachine and code generation pipeline, so modules from several threads compile at once.
#include "jit/engine.h"

#include "jit/host_machine.h"
#include "loopnest/elementwise.h"
#include "loopnest/kernel_runtime.h"
#include "support/error.h"
#include "vmath/vmath.h"

#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectFileInterface.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/MCContext.h>
#include <llvm/Support/SmallVectorMemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace lj {
namespace {

namespace orc = llvm::orc;

// Materialization errors reach the session's error reporter, not the failed lookup (which only
// says "failed to materialize"). Materialization runs on the thread that looked the symbols up,
// so a thread-local keeps the detail for that thread's error message.
std::string &session_error() {
    thread_local std::string message;
    return message;
}

// Machine code for one module after another through one legacy code generation pipeline, built
// once: building its 130-odd passes costs a fifth of a small module's code generation. The
// pipeline is made to run on module after module (the AsmPrinter and MachineModuleInfo reset
// their state in doFinalization); the object file goes to `buffer_`, handed over after each run.
class ObjectEmitter {
public:
    static llvm::Expected<std::unique_ptr<ObjectEmitter>> create(llvm::TargetMachine &tm) {
        std::unique_ptr<ObjectEmitter> e(new ObjectEmitter);
        llvm::MCContext *ctx = nullptr;
        if (tm.addPassesToEmitMC(e->pm_, ctx, e->os_))
            return llvm::make_error<llvm::StringError>("the host target cannot emit machine code",
                                                       llvm::inconvertibleErrorCode());
        return e;
    }

    std::unique_ptr<llvm::MemoryBuffer> emit(llvm::Module &m) {
        buffer_.clear();
        pm_.run(m);
        return std::make_unique<llvm::SmallVectorMemoryBuffer>(
            std::move(buffer_), m.getModuleIdentifier() + "-jitted-objectbuffer",
            /*RequiresNullTerminator=*/false);
    }

private:
    ObjectEmitter() = default;
    llvm::SmallVector<char, 0> buffer_;
    llvm::raw_svector_ostream os_{buffer_}; // unbuffered: writes go straight to buffer_
    llvm::legacy::PassManager pm_;
};

// Each thread's emitter, for its own TargetMachine (host_machine.h); created after it, so
// destroyed before it when the thread ends.
llvm::Expected<ObjectEmitter &> thread_object_emitter() {
    thread_local std::unique_ptr<ObjectEmitter> emitter;
    if (!emitter) {
        auto created = ObjectEmitter::create(host_target_machine());
        if (!created)
            return created.takeError();
        emitter = std::move(*created);
    }
    return *emitter;
}

class ThreadCompiler : public orc::IRCompileLayer::IRCompiler {
public:
    ThreadCompiler()
        : IRCompiler(orc::irManglingOptionsFromTargetOptions(host_target_machine().Options)) {}

    llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module &m) override {
        auto emitter = thread_object_emitter();
        if (!emitter)
            return emitter.takeError();
        return emitter->emit(m);
    }
};

// Symbols come from loopjit's own run-time support (functions of this library that generated
// code calls), the process, then libm, libmvec (vector math) and libgcc_s (half-precision
// conversions), each loaded once with llvm::sys::DynamicLibrary. Generators resolve only the
// names a module asks for.
llvm::Expected<orc::JITDylibSP> setup_process_symbols(orc::LLJIT &jit) {
    orc::JITDylib &jd = jit.getExecutionSession().createBareJITDylib("<Process Symbols>");
    const llvm::JITSymbolFlags callable =
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
    orc::SymbolMap runtime;
    runtime[jit.mangleAndIntern(kElementwiseFastPathSymbol)] = {
        orc::ExecutorAddr::fromPtr(&elementwise_fast_path), callable};
    runtime[jit.mangleAndIntern(kKernelErrorSymbol)] = {
        orc::ExecutorAddr::fromPtr(&loopjit_kernel_error), callable};
    runtime[jit.mangleAndIntern(kScratchAllocSymbol)] = {
        orc::ExecutorAddr::fromPtr(&loopjit_scratch_alloc), callable};
    runtime[jit.mangleAndIntern(kScratchReleaseSymbol)] = {
        orc::ExecutorAddr::fromPtr(&loopjit_scratch_release), callable};
    // loopjit's vector math (vmath/vmath.h): its vector variants, and the libm names (exp, sin,
    // ...) it replaces, defined here so they win over libm's.
    for (const auto &[name, address] : vmath::jit_symbols())
        runtime[jit.mangleAndIntern(name)] = {orc::ExecutorAddr::fromPtr(address), callable};
    if (auto err = jd.define(orc::absoluteSymbols(std::move(runtime))))
        return err;
    const char prefix = jit.getDataLayout().getGlobalPrefix();
    auto process = orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(prefix);
    if (!process)
        return process.takeError();
    jd.addGenerator(std::move(*process));
    for (const char *lib : {"libm.so.6", "libmvec.so.1", "libgcc_s.so.1"}) {
        auto gen = orc::DynamicLibrarySearchGenerator::Load(lib, prefix);
        if (gen)
            jd.addGenerator(std::move(*gen));
        else // absent library: its symbols are not used (see vector_math_available)
            llvm::consumeError(gen.takeError());
    }
    return orc::JITDylibSP(&jd);
}

struct Engine {
    std::unique_ptr<orc::LLJIT> lljit;
    // Names defined by live modules. A module whose symbol is already taken gets a suffix, so
    // callers need not make names unique across the process.
    std::mutex names_mutex;
    std::unordered_set<std::string> live_names;
    uint64_t renames = 0;
};

Engine *create_engine() {
    auto engine = std::make_unique<Engine>();
    llvm::TargetMachine &tm = host_target_machine();
    auto jit = orc::LLJITBuilder()
                   .setJITTargetMachineBuilder(host_jtmb())
                   // Given, so the builder does not create a throwaway TargetMachine for it.
                   .setDataLayout(tm.createDataLayout())
                   .setCompileFunctionCreator(
                       [](orc::JITTargetMachineBuilder)
                           -> llvm::Expected<std::unique_ptr<orc::IRCompileLayer::IRCompiler>> {
                           return std::make_unique<ThreadCompiler>();
                       })
                   // No static constructors in our modules: skip the initializer machinery.
                   .setPlatformSetUp(orc::setUpInactivePlatform)
                   .setProcessSymbolsJITDylibSetup(setup_process_symbols)
                   .create();
    if (!jit)
        throw CompileError(ErrorKind::Internal,
                           "cannot create the JIT: " + llvm::toString(jit.takeError()));
    engine->lljit = std::move(*jit);
    engine->lljit->getExecutionSession().setErrorReporter(
        [](llvm::Error e) { session_error() = llvm::toString(std::move(e)); });
    return engine.release();
}

Engine &engine() {
    static Engine *e = create_engine();
    return *e;
}

class JitCode : public CompiledCode {
public:
    ~JitCode() override {
        if (tracker)
            llvm::consumeError(tracker->remove());
        if (!jit_names.empty()) {
            Engine &e = engine();
            std::lock_guard<std::mutex> lock(e.names_mutex);
            for (const std::string &n : jit_names)
                e.live_names.erase(n);
        }
    }

    void *lookup(const std::string &name) override {
        auto it = addresses.find(name);
        if (it == addresses.end())
            throw CompileError(ErrorKind::Internal,
                               "no function '" + name + "' in the compiled module");
        return it->second;
    }

    orc::ResourceTrackerSP tracker;
    std::vector<std::string> jit_names;                // registered in Engine::live_names
    std::unordered_map<std::string, void *> addresses; // by the module's own names
};

// One lookup of every symbol a module defines (`symbols`: its own name, its JIT name) compiles
// and links the module once, here, on this thread; later lookups are table reads.
void materialize(orc::LLJIT &jit, JitCode &code,
                 const std::vector<std::pair<std::string, std::string>> &symbols) {
    if (symbols.empty())
        return;
    orc::SymbolLookupSet wanted;
    std::vector<orc::SymbolStringPtr> interned;
    for (const auto &s : symbols) {
        interned.push_back(jit.mangleAndIntern(s.second));
        wanted.add(interned.back());
    }
    session_error().clear();
    auto found = jit.getExecutionSession().lookup(
        orc::makeJITDylibSearchOrder(&jit.getMainJITDylib(),
                                     orc::JITDylibLookupFlags::MatchAllSymbols),
        std::move(wanted));
    if (!found) {
        std::string msg = llvm::toString(found.takeError());
        if (!session_error().empty())
            msg = session_error();
        throw CompileError(ErrorKind::Internal, "cannot compile the module: " + msg);
    }
    for (size_t i = 0; i < symbols.size(); ++i)
        code.addresses[symbols[i].first] = (*found)[interned[i]].getAddress().toPtr<void *>();
}

} // namespace

std::pair<std::unique_ptr<llvm::LLVMContext>, std::unique_ptr<llvm::Module>>
new_host_module(const std::string &name) {
    llvm::TargetMachine &tm = host_target_machine();
    auto ctx = std::make_unique<llvm::LLVMContext>();
    auto m = std::make_unique<llvm::Module>(name, *ctx);
    m->setTargetTriple(tm.getTargetTriple().str());
    m->setDataLayout(tm.createDataLayout());
    return {std::move(ctx), std::move(m)};
}

std::shared_ptr<CompiledCode> jit_add_module(std::unique_ptr<llvm::LLVMContext> ctx,
                                             std::unique_ptr<llvm::Module> m) {
    Engine &e = engine();
    orc::LLJIT &jit = *e.lljit;
    auto code = std::make_shared<JitCode>();

    std::vector<std::pair<std::string, std::string>> symbols; // (module name, JIT name)
    {
        std::lock_guard<std::mutex> lock(e.names_mutex);
        for (llvm::GlobalValue &g : m->global_values()) {
            if (!g.hasName() || g.isDeclaration() || g.hasLocalLinkage() ||
                g.hasAppendingLinkage() || g.hasAvailableExternallyLinkage())
                continue;
            std::string name = g.getName().str();
            std::string jit_name = name;
            while (e.live_names.count(jit_name) || (jit_name != name && m->getNamedValue(jit_name)))
                jit_name = name + ".lj" + std::to_string(++e.renames);
            if (jit_name != name)
                g.setName(jit_name);
            e.live_names.insert(jit_name);
            code->jit_names.push_back(jit_name);
            symbols.emplace_back(name, jit_name);
        }
    }

    code->tracker = jit.getMainJITDylib().createResourceTracker();
    if (auto err =
            jit.addIRModule(code->tracker, orc::ThreadSafeModule(std::move(m), std::move(ctx))))
        throw CompileError(ErrorKind::Internal,
                           "cannot add a module to the JIT: " + llvm::toString(std::move(err)));
    materialize(jit, *code, symbols);
    return code;
}

std::unique_ptr<llvm::MemoryBuffer> emit_object(llvm::Module &m) {
    auto emitter = thread_object_emitter();
    if (!emitter)
        throw CompileError(ErrorKind::Internal,
                           "cannot generate machine code: " + llvm::toString(emitter.takeError()));
    return emitter->emit(m);
}

std::shared_ptr<CompiledCode> jit_add_object(std::unique_ptr<llvm::MemoryBuffer> object) {
    Engine &e = engine();
    orc::LLJIT &jit = *e.lljit;
    auto iface = orc::getObjectFileInterface(jit.getExecutionSession(), object->getMemBufferRef());
    if (!iface)
        throw CompileError(ErrorKind::Internal,
                           "cannot read an object file: " + llvm::toString(iface.takeError()));
    auto code = std::make_shared<JitCode>();
    const char prefix = jit.getDataLayout().getGlobalPrefix();
    std::vector<std::pair<std::string, std::string>> symbols; // (name, name): never renamed
    for (const auto &entry : iface->SymbolFlags) {
        std::string name = (*entry.first).str();
        if (prefix && !name.empty() && name[0] == prefix)
            name.erase(0, 1);
        symbols.emplace_back(name, name);
    }
    {
        std::lock_guard<std::mutex> lock(e.names_mutex);
        for (const auto &s : symbols)
            if (e.live_names.count(s.first))
                throw CompileError(ErrorKind::Internal,
                                   "an object file defines '" + s.first + "', already defined");
        for (const auto &s : symbols) {
            e.live_names.insert(s.first);
            code->jit_names.push_back(s.first);
        }
    }
    code->tracker = jit.getMainJITDylib().createResourceTracker();
    if (auto err = jit.addObjectFile(code->tracker, std::move(object)))
        throw CompileError(ErrorKind::Internal, "cannot add an object file to the JIT: " +
                                                    llvm::toString(std::move(err)));
    materialize(jit, *code, symbols);
    return code;
}

} // namespace lj
