"""The letter file read for an update and written back in its own format.

YAML goes through ruamel.yaml's round-trip mode (comments, key order, quoting and block style
kept; indentation as the file has it); JSON keeps its indentation and key order; TOML is
written with tomli-w (key order kept; TOML comments are not kept by any writer we use).
Only values the import changes are touched; a letter without changes is not written at all.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (DoubleQuotedScalarString, FoldedScalarString,
                                      LiteralScalarString, SingleQuotedScalarString)


@dataclass
class LetterFile:
    path: Path
    kind: str          # "yaml", "json" or "toml"
    text: str
    data: Any
    _yaml: YAML | None = None
    _json_indent: int | str | None = 2

    # values of the right kind for this format ------------------------------------------------

    def mapping(self, items: dict | None = None):
        out = CommentedMap() if self.kind == "yaml" else {}
        out.update(items or {})
        return out

    def sequence(self, items=()):
        return CommentedSeq(items) if self.kind == "yaml" else list(items)

    def block_text(self, value: str):
        """A Markdown text: a YAML literal block (`|`), a plain string elsewhere."""
        return LiteralScalarString(value) if self.kind == "yaml" else value

    def like(self, old: Any, value: str):
        """A new text in the quoting style of the value it replaces."""
        if self.kind != "yaml":
            return value
        if "\n" in value:
            return LiteralScalarString(value)
        if isinstance(old, FoldedScalarString):
            return FoldedScalarString(value)
        for kind in (DoubleQuotedScalarString, SingleQuotedScalarString):
            if isinstance(old, kind):
                return kind(value)
        return value

    def date(self, old: Any, value: dt.date):
        return value.isoformat() if isinstance(old, str) or self.kind == "json" else value

    # writing -------------------------------------------------------------------------------

    def dumps(self) -> str:
        if self.kind == "yaml":
            out = io.StringIO()
            self._yaml.dump(self.data, out)
            return out.getvalue()
        if self.kind == "json":
            text = json.dumps(self.data, indent=self._json_indent, ensure_ascii=False)
            return text + ("\n" if self.text.endswith("\n") else "")
        return tomli_w.dumps(self.data)


def _yaml_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as the file indents them."""
    mapping, offset = 2, 2
    lines = text.splitlines()
    for index, line in enumerate(lines[:-1]):
        key = re.match(r"^(\s*)[\w\"'-][^:#]*:\s*(#.*)?$", line)
        if not key:
            continue
        following = lines[index + 1]
        base = len(key.group(1))
        item = re.match(r"^(\s*)- ", following)
        if item:
            offset = len(item.group(1)) - base
            break
    for index, line in enumerate(lines[:-1]):
        key = re.match(r"^(\s*)[\w\"'-][^:#]*:\s*(#.*)?$", line)
        inner = re.match(r"^(\s*)[\w\"'-][^:#]*:", lines[index + 1])
        if key and inner and len(inner.group(1)) > len(key.group(1)):
            mapping = len(inner.group(1)) - len(key.group(1))
            break
    return mapping, offset + 2, offset


def load(path: Path) -> LetterFile:
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    if suffix == ".json":
        indent_match = re.search(r"\n([ \t]+)\"", text)
        indent: int | str | None = None
        if indent_match:
            found = indent_match.group(1)
            indent = len(found) if found.strip(" ") == "" else found
        return LetterFile(path, "json", text, json.loads(text), _json_indent=indent)
    if suffix == ".toml":
        return LetterFile(path, "toml", text, tomllib.loads(text))
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = _yaml_indent(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return LetterFile(path, "yaml", text, yaml.load(text), _yaml=yaml)
