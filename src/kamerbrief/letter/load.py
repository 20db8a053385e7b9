"""Reading a letter file (YAML, JSON or TOML) into plain data plus a map of source lines."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..problems import LetterError, Problem, display_path
from .read import read_letter

SUFFIXES = (".yaml", ".yml", ".json", ".toml")

Path_ = tuple  # a path into the data: ("sections", 2, "text")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available
    """Safe YAML loader that keeps dates as text (so pydantic can say what is wrong with them)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Place:
    key_line: int            # 1-based line of the key (or of the item)
    value_line: int          # 1-based line where the value's text starts
    block: bool = False      # a YAML block scalar (| or >): text starts on the next line


@dataclass
class Source:
    """A letter file read into data, with the line of every field where known."""

    path: Path
    text: str
    data: Any
    places: dict[Path_, Place] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return display_path(self.path)

    def line(self, path: Path_, value: bool = False) -> int | None:
        """The line of a field, or of its nearest known parent."""
        for cut in range(len(path), -1, -1):
            place = self.places.get(tuple(path[:cut]))
            if place:
                return place.value_line if value else place.key_line
        return _search_line(self.text, path)

    def text_line(self, path: Path_, offset_line: int = 0) -> int | None:
        """The line of line `offset_line` (0-based) inside a text field's value."""
        place = self.places.get(tuple(path))
        if place is None:
            base = self.line(path)
            return None if base is None else base + offset_line
        return place.value_line + (1 if place.block else 0) + offset_line

    def problem(self, path: Path_, message: str, line: int | None = None,
                severity: str = "error") -> Problem:
        return Problem(self.name, line if line is not None else self.line(path),
                       field_name(path), message, severity)


def field_name(path: Path_) -> str:
    """A data path as a letter writer reads it: sections[2].text."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_source(path: Path, data: bytes | None = None) -> Source:
    """Read a letter file (or `data`, its bytes already read, so that what a build hashes is
    what it renders); syntax errors raise LetterError with the line."""
    name = display_path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise LetterError([Problem(name, None, "", f"a letter file ends in {', '.join(SUFFIXES)}; "
                                   f"rename it or leave it out")])
    if data is None:
        data = read_letter(path)  # regular files only, size-capped, never blocks
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LetterError([Problem(name, line, "", "the file is not UTF-8 text; save it as UTF-8")])
    text = text.lstrip("\ufeff")
    suffix = path.suffix.lower()
    if suffix == ".json":
        source = _read_json(path, text)
    elif suffix == ".toml":
        source = _read_toml(path, text)
    else:
        source = _read_yaml(path, text)
    if not isinstance(source.data, dict):
        raise LetterError([Problem(name, 1, "", "a letter file is a set of fields such as "
                                   "'subject:' and 'sections:'; this file holds something else")])
    return source


def _read_yaml(path: Path, text: str) -> Source:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = (exc.problem or "unreadable YAML").strip()
        raise LetterError([Problem(display_path(path), line, "",
                                   f"the YAML cannot be read: {what}. Check the indentation "
                                   f"and quotes on this line or the one above")])
    except yaml.YAMLError as exc:
        raise LetterError([Problem(display_path(path), None, "", f"the YAML cannot be read: {exc}")])
    finally:
        loader.dispose()
    source = Source(path, text, data)
    if node is not None:
        _map_node(node, (), source)
    return source


def _map_node(node: yaml.Node, path: Path_, source: Source) -> None:
    """Record the line of every field and report duplicate keys."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                source.problems.append(Problem(
                    source.name, line, field_name(path + (key,)),
                    f"'{key}' is given twice (first on line {seen[key]}); keep one"))
                continue
            seen[key] = line
            _place(value_node, path + (key,), line, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _place(item, path + (index,), item.start_mark.line + 1, source)


def _place(node: yaml.Node, path: Path_, key_line: int, source: Source) -> None:
    block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
    source.places[path] = Place(key_line, node.start_mark.line + 1, block)
    _map_node(node, path, source)


def _read_json(path: Path, text: str) -> Source:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        out: dict = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise LetterError([Problem(display_path(path), exc.lineno, "",
                                   f"the JSON cannot be read: {exc.msg}")])
    source = Source(path, text, data)
    try:  # JSON is YAML: borrow the YAML reader for line numbers only
        loader = _Loader(text)
        node = loader.get_single_node()
        loader.dispose()
        if node is not None:
            _map_node(node, (), source)
    except yaml.YAMLError:
        source.problems = [Problem(source.name, _search_line(text, (key,)), key,
                                   f"'{key}' is given twice; keep one") for key in duplicates]
    return source


def _read_toml(path: Path, text: str) -> Source:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        what = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise LetterError([Problem(display_path(path), int(found.group(1)) if found else None, "",
                                   f"the TOML cannot be read: {what}")])
    return Source(path, text, data)


def _search_line(text: str, path: Path_) -> int | None:
    """Best-effort line of a field by its name, for formats without positions (TOML)."""
    names = [p for p in path if isinstance(p, str)]
    if not names:
        return None
    key = re.escape(names[-1])
    pattern = re.compile(rf'^\s*(?:"{key}"|{key})\s*[:=]|^\s*\[\[?[\w.]*\b{key}\]\]?\s*$')
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None
