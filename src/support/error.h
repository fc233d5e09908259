// The one exception type the core throws for a problem in the user's program or signature. The
// Python layer turns it into the matching loopjit.errors class and formats the source line.
#pragma once

#include <stdexcept>
#include <string>

namespace lj {

struct SourceLoc {
    int line = 0; // 1-based line in the function's source file; 0 when unknown
    int col = 0;  // 0-based column, as Python's ast reports it
};

enum class ErrorKind { Typing, Unsupported, Signature, Internal };

class CompileError : public std::runtime_error {
public:
    CompileError(ErrorKind kind, std::string message, SourceLoc loc = {}, std::string func = {})
        : std::runtime_error(message), kind(kind), loc(loc), func(std::move(func)) {}

    ErrorKind kind;
    SourceLoc loc;
    std::string func; // name of the IR function the error is in (set by the pipeline if empty)
};

[[noreturn]] inline void typing_error(SourceLoc loc, const std::string &msg) {
    throw CompileError(ErrorKind::Typing, msg, loc);
}
[[noreturn]] inline void unsupported(SourceLoc loc, const std::string &msg) {
    throw CompileError(ErrorKind::Unsupported, msg, loc);
}

} // namespace lj
