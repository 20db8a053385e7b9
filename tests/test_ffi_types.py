"""WeasyPrint's cffi makes fixed-length arrays without parsing C (writers/pdf/ffi_types.py)."""

from __future__ import annotations

import types

import cffi
import pytest

from kamerbrief.writers.pdf import ffi_types
from kamerbrief.writers.pdf._weasyprint import weasyprint

weasyprint_ffi = weasyprint.text.ffi.ffi  # the FFI the writer's WeasyPrint uses


def test_an_array_of_any_length_is_made_without_the_c_parser(monkeypatch):
    assert ffi_types.install(weasyprint_ffi)
    weasyprint_ffi.typeof("hb_codepoint_t *")  # the element's pointer type: parsed once

    def no_parsing(*_):
        raise AssertionError("the C parser was asked")

    monkeypatch.setattr(weasyprint_ffi._parser, "parse_type", no_parsing)
    glyphs = weasyprint_ffi.new("hb_codepoint_t[7]", [3, 1, 4, 1, 5, 9, 2])
    assert list(glyphs) == [3, 1, 4, 1, 5, 9, 2]
    assert len(weasyprint_ffi.new("hb_codepoint_t[12345]", list(range(12345)))) == 12345


@pytest.mark.parametrize("text", ["hb_codepoint_t[5]", "unsigned int[3]", "char[40]"])
def test_the_type_made_is_the_type_parsing_gives(text):
    ffi_types.install(weasyprint_ffi)
    parsed = cffi.FFI()
    parsed.cdef("typedef uint32_t hb_codepoint_t;")
    made, expected = weasyprint_ffi.typeof(text), parsed.typeof(text)
    assert (made.kind, made.length, weasyprint_ffi.sizeof(made), made.item.kind,
            weasyprint_ffi.sizeof(made.item)) == (expected.kind, expected.length,
                                                  parsed.sizeof(expected), expected.item.kind,
                                                  parsed.sizeof(expected.item))


def test_other_types_are_still_parsed_and_unknown_ones_refused():
    ffi_types.install(weasyprint_ffi)
    assert weasyprint_ffi.typeof("hb_codepoint_t *").kind == "pointer"
    with pytest.raises(cffi.CDefError):
        weasyprint_ffi.typeof("no_such_type[3]")


def test_an_ffi_of_another_make_is_left_alone():
    other = types.SimpleNamespace(_parsed_types=[], _backend=None)
    assert ffi_types.install(other) is False
    assert other._parsed_types == []
