"""What makes a cold start quick, and that it changes nothing: WeasyPrint imported without its
library search (and the ordinary import when that fails); the cache on disk (hyphenation
patterns, font widths, compiled templates: the same values, a damaged entry ignored and
rewritten, no cache at all works too); the garbage collector paused only while the program
starts."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import jinja2
import pyphen
import pytest

from kamerbrief import cache, fonts
from kamerbrief.cli import main
from kamerbrief.compose import textrules
from kamerbrief.layout import load_layout
from kamerbrief.writers import compiled

from conftest import ROOT, SEED_2019

WORDS = ("rijksoverheidsorganisaties", "ontwikkelingssamenwerking", "lettergrepen")


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


# -- the cache on disk (kamerbrief.cache) -----------------------------------------------------

@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KAMERBRIEF_CACHE", str(folder))
    return folder


def dutch_patterns() -> Path:
    return Path(pyphen.LANGUAGES[pyphen.language_fallback("nl_NL")])


def test_hyphenation_patterns_from_the_cache_are_pyphens_own(cache_folder):
    parsed = pyphen.HyphDict(dutch_patterns())
    made = textrules._patterns(dutch_patterns())     # parsed, and stored
    assert list(cache_folder.glob("hyphenation-*.json"))
    cached = textrules._patterns(dutch_patterns())   # read from the cache
    for patterns in (made, cached):
        assert patterns.patterns == parsed.patterns and patterns.maxlen == parsed.maxlen
    assert [cached.positions(w) for w in WORDS] == [parsed.positions(w) for w in WORDS]


def test_font_widths_from_the_cache_are_the_fonts_own(cache_folder):
    font = load_layout().asset(load_layout().fonts.sans_regular)
    read = fonts._read_advances(font.read_bytes())
    assert fonts._advances.__wrapped__(font) == read   # read, and stored
    assert list(cache_folder.glob("widths-*.json"))
    assert fonts._advances.__wrapped__(font) == read   # from the cache


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],                              # half written
    lambda data: b"\x00\xff" + data,                                   # not JSON
    lambda data: json.dumps({"key": json.loads(data)["key"],           # the right key,
                             "value": {"patterns": 7}}).encode(),      # a wrong form
    lambda data: data.replace(b'"maxlen":8', b'"maxlen":9'),           # inconsistent
])
def test_a_damaged_cache_entry_is_ignored_and_rewritten(cache_folder, damage):
    parsed = pyphen.HyphDict(dutch_patterns())
    textrules._patterns(dutch_patterns())
    entry = next(cache_folder.glob("hyphenation-*.json"))
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert textrules._patterns(dutch_patterns()).patterns == parsed.patterns
    assert entry.read_bytes() == good


def test_an_entry_for_other_content_is_not_used(cache_folder):
    calls = []
    assert cache.remembered("thing", cache.content_key(b"one"), lambda: calls.append(1) or 1) == 1
    assert cache.remembered("thing", cache.content_key(b"one"), lambda: calls.append(1) or 2) == 1
    assert cache.remembered("thing", cache.content_key(b"two"), lambda: calls.append(1) or 3) == 3
    assert len(calls) == 2


def test_without_a_usable_cache_folder_values_are_worked_out(tmp_path, monkeypatch):
    parsed = pyphen.HyphDict(dutch_patterns())
    monkeypatch.setenv("KAMERBRIEF_CACHE", "off")
    assert cache.folder() is None and compiled.template_cache() is None
    assert textrules._patterns(dutch_patterns()).patterns == parsed.patterns
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("KAMERBRIEF_CACHE", str(blocked / "cache"))  # cannot be made
    assert textrules._patterns(dutch_patterns()).patterns == parsed.patterns
    env = jinja2.Environment(bytecode_cache=compiled.template_cache())
    assert compiled.from_string(env, "{{ 1 + 1 }}").render() == "2"


def _environment(folder: Path, autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader({"t": "<p>{{ text }}</p>"}),
                              autoescape=autoescape,
                              bytecode_cache=compiled.TemplateCache(folder))


def test_compiled_templates_come_from_the_cache_and_a_corrupt_one_is_compiled_again(tmp_path):
    first = _environment(tmp_path, True).get_template("t").render(text="<b>")
    [entry] = tmp_path.glob("jinja-*.bin")
    stored = entry.read_bytes()
    compiles = []
    env = _environment(tmp_path, True)
    env.compile = lambda *args, **kw: compiles.append(args) or jinja2.Environment.compile(
        env, *args, **kw)
    assert env.get_template("t").render(text="<b>") == first == "<p>&lt;b&gt;</p>"
    assert not compiles                                      # the code came from the cache
    entry.write_bytes(stored[:-3] + bytes(b ^ 0xFF for b in stored[-3:]))   # damaged code
    env = _environment(tmp_path, True)
    env.compile = lambda *args, **kw: compiles.append(args) or jinja2.Environment.compile(
        env, *args, **kw)
    assert env.get_template("t").render(text="<b>") == first
    assert len(compiles) == 1 and entry.read_bytes() == stored   # compiled again, rewritten


def test_compiled_code_is_not_shared_between_different_settings(tmp_path):
    assert _environment(tmp_path, True).get_template("t").render(text="<b>") == "<p>&lt;b&gt;</p>"
    assert _environment(tmp_path, False).get_template("t").render(text="<b>") == "<p><b></p>"
    env = jinja2.Environment(autoescape=True, bytecode_cache=compiled.TemplateCache(tmp_path))
    assert compiled.from_string(env, "{{ x }}").render(x="<i>") == "&lt;i&gt;"
    assert compiled.from_string(env, "{{ x }}!").render(x="<i>") == "&lt;i&gt;!"


# -- the garbage collector at start-up (kamerbrief.startup) -----------------------------------

def test_the_program_builds_its_letters_with_the_collector_running(tmp_path):
    done = python(f"""
        import gc, sys
        import kamerbrief.batch.build as build
        one = build.build_one
        def watched(*args):
            print("letter", gc.isenabled(), gc.get_freeze_count() > 0)
            return one(*args)
        build.build_one = watched
        from kamerbrief.cli import main
        sys.argv = ["kamerbrief", "build", {str(SEED_2019)!r}, "-o", {str(tmp_path)!r},
                    "-j", "1", "-q"]
        status = main()
        print("after", status, gc.isenabled())
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["letter", "True", "True", "after", "0", "True"], done.stdout
    assert (tmp_path / f"{SEED_2019.stem}.pdf").is_file()


def test_main_called_with_arguments_leaves_the_collector_alone(tmp_path):
    frozen = gc.get_freeze_count()
    assert main(["build", str(SEED_2019), "-o", str(tmp_path), "-j", "1", "-q"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_cffi_parses_weasyprints_types_as_it_would_without_the_shortcut():
    done = python(f"""
        from kamerbrief.compose import compose_file
        from kamerbrief.writers.pdf import writer
        from weasyprint.text.ffi import ffi
        writer.render_pdf(compose_file({str(SEED_2019)!r}))
        parser = ffi._parser
        names = sorted(n for n in ffi._parsed_types if not n.startswith("__"))  # a module dict
        same = [parser.parse_type_and_quals(n) == type(parser).parse_type_and_quals(parser, n)
                for n in names]
        print(len(names) > 10, all(same), "parse_type_and_quals" in vars(parser))
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True"], done.stdout


def test_the_cache_folder_follows_the_xdg_rules(tmp_path, monkeypatch):
    monkeypatch.delenv("KAMERBRIEF_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "kamerbrief"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")  # the spec: absolute only
    assert cache.folder() == tmp_path / "home" / ".cache" / "kamerbrief"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.folder() == tmp_path / "home" / ".cache" / "kamerbrief"
    monkeypatch.setenv("KAMERBRIEF_CACHE", "Off")
    assert cache.folder() is None
