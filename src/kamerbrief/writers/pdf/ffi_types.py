"""Fixed-length C array types for WeasyPrint's cffi without parsing C each time.

WeasyPrint subsets every font of every PDF with HarfBuzz and asks cffi for arrays such as
`ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs)`. cffi caches the types it parses by their
text, but the length differs from font to font and letter to letter, so nearly every call
parses C declarations anew with pycparser: about 2 ms each, 5 to 15 ms per letter. Here cffi's
cache of parsed types learns to make `<type>[<length>]` from the (cached) pointer type with
cffi's own `new_array_type`, which is what parsing it would give. When cffi's internals are not
as expected, nothing is changed (the letters are the same either way; only slower).
"""

from __future__ import annotations

import re

_ARRAY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?: [A-Za-z_][A-Za-z0-9_]*)*)\[(\d+)\]")


class _TypesWithArrays(dict):
    """cffi's `_parsed_types` (C text -> (ctype, is a function type)), which makes a missing
    fixed-length array type of a known element type instead of having it parsed."""

    def __init__(self, ffi, types: dict):
        super().__init__(types)
        self._ffi = ffi

    def __missing__(self, key):
        found = _ARRAY.fullmatch(key) if isinstance(key, str) else None
        if found is None:
            raise KeyError(key)
        pointer = self._ffi.typeof(f"{found[1]} *")   # parsed once, then cached
        result = (self._ffi._backend.new_array_type(pointer, int(found[2])), False)
        self[key] = result
        return result


def install(ffi) -> bool:
    """Teach `ffi` (WeasyPrint's cffi FFI) to make array types without parsing; False (and no
    change) when its internals are not those of the cffi this was written for."""
    types = getattr(ffi, "_parsed_types", None)
    backend = getattr(ffi, "_backend", None)
    if isinstance(types, _TypesWithArrays):
        return True
    if type(types) is not dict or not hasattr(backend, "new_array_type"):
        return False
    try:
        expected = ffi.typeof("unsigned int[3]")
        patched = _TypesWithArrays(ffi, types)
        made = patched.__missing__("unsigned int[3]")[0]
        if made is not expected and (ffi.sizeof(made) != ffi.sizeof(expected)
                                     or made.kind != expected.kind or made.length != 3):
            return False
    except Exception:  # noqa: BLE001 (any surprise: leave cffi as it is)
        return False
    ffi._parsed_types = patched
    return True
