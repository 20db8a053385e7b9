"""WeasyPrint, imported without its slow library search; every module of ours that uses
WeasyPrint imports it from here (`from ._weasyprint import weasyprint`) before anything else
of WeasyPrint's.

Why: at import, weasyprint.text.ffi loads Pango, HarfBuzz and friends by trying names in turn
('libgobject-2.0-0', 'gobject-2.0-0', 'gobject-2.0', 'libgobject-2.0.so.0', ...). cffi tries to
open a name directly and, when that fails, asks `ctypes.util.find_library(name)`, which on
Linux starts `ldconfig` and `gcc` processes: about twenty of them before the names that load
directly ('libgobject-2.0.so.0') come up, a quarter of a second of every cold start.

How: on Linux the list of names WeasyPrint tries includes each library's soname
('lib<name>.so.<n>'), which the dynamic loader finds the same way `find_library`'s answer would
be found. So WeasyPrint is imported once with `find_library` answering None (the names that
need it fail quickly, the soname loads). Should that fail anyhow (OSError: a library only
`find_library` locates), or lose the optional HarfBuzz subsetter, the partly imported modules
are dropped and WeasyPrint is imported again the ordinary way. WeasyPrint itself is unmodified.

Its cffi is made quicker here too, in the two places it parses C at run time: each type it
names is parsed with only the declarations that type uses (`quicker_type_parsing`), and the
fixed-length arrays of font subsetting are made without parsing (`ffi_types`).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import re
import sys
import threading
from types import ModuleType

from . import ffi_types

_LOCK = threading.Lock()


def _no_library(name: str) -> None:  # noqa: ARG001 (the signature of find_library)
    return None


def _forget_weasyprint() -> None:
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        del sys.modules[name]


def _import_quickly() -> ModuleType:
    """WeasyPrint imported with `ctypes.util.find_library` answering None."""
    real = ctypes.util.find_library
    ctypes.util.find_library = _no_library
    try:
        # WeasyPrint prints advice on stdout before it raises for a missing library: not
        # shown for this attempt (the ordinary import below shows it if it fails too)
        with contextlib.redirect_stdout(io.StringIO()):
            module = importlib.import_module("weasyprint")
    finally:
        ctypes.util.find_library = real
    if importlib.import_module("weasyprint.text.ffi").harfbuzz_subset is None:
        raise OSError("HarfBuzz's subsetter not found by its soname")
    return module


def import_weasyprint(quickly=_import_quickly) -> ModuleType:
    """The weasyprint module: imported quickly when possible, else the ordinary way."""
    with _LOCK:
        if "weasyprint" in sys.modules and "weasyprint.text.ffi" in sys.modules:
            return sys.modules["weasyprint"]
        if sys.platform.startswith("linux"):
            try:
                return quickly()
            except OSError:
                _forget_weasyprint()
        return importlib.import_module("weasyprint")


def quicker_type_parsing(ffi) -> None:
    """cffi parses each C type WeasyPrint names at run time ('char[]', 'PangoRectangle *')
    once per process with pycparser, behind a declaration `typedef int NAME;` of every type
    name of WeasyPrint's C declarations (~60): ~2 ms a type, ~40 ms for a first letter.
    The declarations matter to the parser only for names that occur in the type, so it gets
    those alone: the same parse, for a fraction of the text. Nothing changes when cffi's
    parser is not as expected."""
    parser = getattr(ffi, "_parser", None)
    parse = getattr(parser, "parse_type_and_quals", None)
    if not callable(parse) or not isinstance(getattr(parser, "_declarations", None), dict):
        return

    def parse_type_and_quals(cdecl: str):
        declared = parser._declarations
        words = set(re.findall(r"\w+", cdecl))
        parser._declarations = {name: value for name, value in declared.items()
                                if not name.startswith("typedef ") or name[8:] in words}
        try:
            return parse(cdecl)
        finally:
            for name, value in parser._declarations.items():  # anything declared meanwhile
                declared.setdefault(name, value)
            parser._declarations = declared

    parser.parse_type_and_quals = parse_type_and_quals


weasyprint = import_weasyprint()
quicker_type_parsing(sys.modules["weasyprint.text.ffi"].ffi)
ffi_types.install(sys.modules["weasyprint.text.ffi"].ffi)  # font subsetting: no C parsing
