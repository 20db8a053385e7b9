"""What makes a cold start quick, and that it changes nothing: WeasyPrint imported without its
library search (and the ordinary import when that fails)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT


def python(code: str) -> subprocess.CompletedProcess:
    """`code` run in a new interpreter (WeasyPrint's import happens once per process)."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_the_pdf_writer_imports_weasyprint_without_searching_for_libraries():
    done = python("""
        import ctypes.util
        asked = []
        real = ctypes.util.find_library
        ctypes.util.find_library = lambda name: asked.append(name) or real(name)
        import kamerbrief.writers.pdf.writer as writer
        from weasyprint.text import ffi
        print(len(asked), ffi.harfbuzz_subset is not None, ctypes.util.find_library is not real)
        data = writer.weasyprint.HTML(string="<p>Een alinea.</p>").write_pdf()
        print(data[:5].decode())
    """)
    assert done.returncode == 0, done.stderr
    # no ldconfig/gcc search; the subsetter found; our hook (and so the real one) restored
    assert done.stdout.split() == ["0", "True", "True", "%PDF-"], done.stdout


def test_weasyprint_is_imported_the_ordinary_way_when_the_quick_import_fails():
    done = python("""
        import importlib, sys, ctypes.util
        from kamerbrief.writers.pdf import _weasyprint
        first = sys.modules["weasyprint"]
        _weasyprint._forget_weasyprint()
        asked = []
        real = ctypes.util.find_library
        ctypes.util.find_library = lambda name: asked.append(name) or real(name)

        def failing():  # a library only find_library locates: half imported, then OSError
            importlib.import_module("weasyprint.css")
            raise OSError("cannot load library 'libpango-1.0-0'")

        module = _weasyprint.import_weasyprint(quickly=failing)
        print(module is sys.modules["weasyprint"], module is not first, len(asked) > 0)
        print(module.HTML(string="<p>Een alinea.</p>").write_pdf()[:5].decode())
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True", "%PDF-"], done.stdout


def test_the_quick_import_shows_no_advice_and_restores_find_library_when_it_fails():
    done = python("""
        import ctypes.util, importlib, sys
        from kamerbrief.writers.pdf import _weasyprint
        _weasyprint._forget_weasyprint()
        real = ctypes.util.find_library

        def broken(name):
            raise OSError("no " + name)

        import cffi
        open_library = cffi.FFI.dlopen
        cffi.FFI.dlopen = lambda self, name, flags=0: broken(name)
        try:
            _weasyprint._import_quickly()
        except OSError:
            print("raised")
        cffi.FFI.dlopen = open_library
        print(ctypes.util.find_library is real)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["raised", "True"], done.stdout
