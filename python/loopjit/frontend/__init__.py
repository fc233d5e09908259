"""The front end: a Python function (def or lambda) to the core's IR text, with the source
information error messages need. Pure Python: it parses with the interpreter's own ast."""

from .module import FrontendResult, translate
from .source import SourceInfo

__all__ = ["FrontendResult", "SourceInfo", "translate"]
