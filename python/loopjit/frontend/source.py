"""Finding a kernel's source and syntax tree (def or lambda), and mapping tree positions to
locations in the user's file."""

import ast
import functools
import inspect
from dataclasses import dataclass, field

from .. import errors

__all__ = ["SourceInfo", "ParsedFunction", "parse_function"]


@dataclass(frozen=True)
class SourceInfo:
    """What error messages need about one IR function: its display name, qualified name, file,
    the file line of lines[0], its source lines, and each IR node's extent.

    ``spans`` maps an IR location (line, byte col) to the (line, col, end_line, end_col) extent
    of the expression or statement at that location."""

    name: str
    qualname: str
    filename: str
    first_line: int
    lines: tuple
    spans: dict = field(default_factory=dict, compare=False, repr=False)

    def line(self, lineno):
        i = lineno - self.first_line
        return self.lines[i] if 0 <= i < len(self.lines) else None


@dataclass
class ParsedFunction:
    """A kernel's tree (ast.FunctionDef or ast.Lambda) and how to locate its nodes."""

    tree: ast.AST
    info: SourceInfo
    locator: "Locator"
    source: str  # the source text the kernel was parsed from, for the cache key


class Locator:
    """Turns tree positions into file positions. ``line_offset`` is added to tree line numbers;
    columns are the file's (the source is never dedented). ``text_lines`` holds the parsed text
    by tree line number, for finding operator tokens between operands."""

    def __init__(self, text_lines, line_offset):
        self._lines = [t.encode("utf-8") for t in text_lines]
        self.line_offset = line_offset

    def start(self, node):
        return node.lineno + self.line_offset, node.col_offset

    def extent(self, node):
        return (node.lineno + self.line_offset, node.col_offset,
                node.end_lineno + self.line_offset, node.end_col_offset)

    def token_after(self, node):
        """File position of the first token after ``node``, skipping closing parentheses,
        whitespace, comments and line continuations: the operator that follows an operand."""
        line, col = node.end_lineno, node.end_col_offset
        pos = self._scan(line, col)
        return None if pos is None else (pos[0] + self.line_offset, pos[1])

    def name_after_dot(self, value_node):
        """File position of the attribute name in ``value.attr``."""
        dot = self._scan(value_node.end_lineno, value_node.end_col_offset)
        if dot is None:
            return None
        pos = self._scan(dot[0], dot[1] + 1)
        return None if pos is None else (pos[0] + self.line_offset, pos[1])

    def _scan(self, line, col):
        while line <= len(self._lines):
            text = self._lines[line - 1]
            while col < len(text):
                ch = text[col:col + 1]
                if ch in b" \t\f\r\n\\)":
                    col += 1
                    continue
                if ch == b"#":
                    break
                return line, col
            line += 1
            col = 0
        return None


def _unavailable(func, why):
    return errors.LoopjitError(
        f"cannot compile '{func.__qualname__}': its source code is not available ({why}); "
        "loopjit reads a kernel's source, so define it in a file or a notebook cell rather "
        "than with exec() or in a plain interactive session"
    )


def _info(func, filename, first_line, lines):
    return SourceInfo(name=func.__name__, qualname=func.__qualname__, filename=filename,
                      first_line=first_line, lines=tuple(text.rstrip("\r\n") for text in lines))


def parse_function(func):
    """Parse ``func`` (a Python function object) into a ParsedFunction."""
    code = func.__code__
    filename = code.co_filename
    if code.co_name == "<lambda>":
        return _parse_lambda(func, filename)
    try:
        lines, first_line = inspect.getsourcelines(func)
    except (OSError, TypeError) as e:
        raise _unavailable(func, str(e)) from None
    text = "".join(lines)
    offset = first_line - 1
    # Indented source (a method, a function defined in a function) is parsed inside an
    # `if 1:` block instead of being dedented, so columns stay those of the file even when a
    # continuation line or a multi-line string is indented less than the def.
    if lines[0][:1] in (" ", "\t"):
        text = "if 1:\n" + text
        offset -= 1
    try:
        module = ast.parse(text, filename=filename)
    except SyntaxError as e:
        raise _unavailable(func, f"the source found for it does not parse: {e.msg}") from None
    tree = module.body[0]
    if isinstance(tree, ast.If):
        tree = tree.body[0]
    if not isinstance(tree, (ast.FunctionDef, ast.AsyncFunctionDef)) or tree.name != code.co_name:
        raise _unavailable(func, "the source found for it is not its definition; was the file "
                                 "changed since it was imported?")
    text_lines = text.splitlines(keepends=True)
    return ParsedFunction(tree, _info(func, filename, first_line, lines),
                          Locator(text_lines, offset), "".join(lines))


@functools.lru_cache(maxsize=16)
def _parse_file(text, filename):
    return ast.parse(text, filename=filename)


def _parse_lambda(func, filename):
    code = func.__code__
    try:
        file_lines, _ = inspect.findsource(func)
    except (OSError, TypeError) as e:
        raise _unavailable(func, str(e)) from None
    try:
        module = _parse_file("".join(file_lines), filename)
    except SyntaxError as e:
        raise _unavailable(func, f"its file does not parse: {e.msg}") from None
    tree = _find_lambda(module, code)
    if tree is None:
        raise _unavailable(func, f"no lambda on line {code.co_firstlineno} of {filename} "
                                 "matches it; was the file changed since it was imported?")
    lines = file_lines[tree.lineno - 1:tree.end_lineno]
    info = _info(func, filename, tree.lineno, lines)
    return ParsedFunction(tree, info, Locator(file_lines, 0), "".join(lines))


def _arg_names(args):
    return [a.arg for a in args.posonlyargs + args.args]


def _find_lambda(module, code):
    """The ast.Lambda compiled to ``code``: on its first line, with its parameters, and (where
    the interpreter records instruction positions) enclosing every position its code has."""
    params = list(code.co_varnames[:code.co_argcount])
    found = [n for n in ast.walk(module)
             if isinstance(n, ast.Lambda) and n.lineno == code.co_firstlineno
             and _arg_names(n.args) == params]
    if len(found) > 1 and hasattr(code, "co_positions"):
        spots = [(ln, c, eln, ec) for ln, eln, c, ec in code.co_positions()
                 if None not in (ln, eln, c, ec) and (ln, c) != (eln, ec)]

        def encloses(lam, spot):
            return ((lam.lineno, lam.col_offset) <= spot[:2]
                    and spot[2:] <= (lam.end_lineno, lam.end_col_offset))

        found = [n for n in found if all(encloses(n, s) for s in spots)]
        # A lambda nested in another encloses positions of both: the innermost is the one.
        found.sort(key=lambda n: (n.lineno, n.col_offset), reverse=True)
        found = found[:1]
    if len(found) > 1:
        # Without instruction positions (Python 3.10), tell lambdas apart by the names and
        # constants their bodies use.
        names = set(code.co_names) | set(code.co_freevars)
        consts = {c for c in code.co_consts if isinstance(c, (int, float, complex))}

        def used_names(lam):
            used = {n.id for n in ast.walk(lam.body) if isinstance(n, ast.Name)}
            used |= {n.attr for n in ast.walk(lam.body) if isinstance(n, ast.Attribute)}
            return used - set(params)

        def literals(lam):
            return {n.value for n in ast.walk(lam.body)
                    if isinstance(n, ast.Constant) and isinstance(n.value, (int, float, complex))}

        for fits in (lambda lam: used_names(lam) == names, lambda lam: literals(lam) <= consts):
            narrowed = [n for n in found if fits(n)]
            if narrowed:
                found = narrowed
    return found[0] if len(found) == 1 else None
