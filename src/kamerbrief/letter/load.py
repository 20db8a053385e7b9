"""Reading a letter file (YAML, JSON or TOML) into plain data plus a map of source lines.

A letter file is untrusted input. Before a parser builds anything, the text is checked
against the limits of `limits.py`: its size, raw control characters, the nesting depth (the
YAML and JSON parsers and tomllib recurse and would crash or overflow the stack), long
numbers, and in YAML anchors, aliases and type tags (which a letter never needs and which can
expand a small file into gigabytes). Every refusal names the file, the line and the field.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..problems import LetterError, Problem, display_path
from . import limits
from .read import read_letter

SUFFIXES = (".yaml", ".yml", ".json", ".toml")

Path_ = tuple  # a path into the data: ("sections", 2, "text")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available
    """Safe YAML loader that keeps dates as text (so pydantic can say what is wrong with them)
    and field names as written: `5:` and `yes:` are the names '5' and 'yes', not a number and
    a yes/no (footnote ids such as `1:` are text, as their calls [^1] are)."""

    def construct_mapping(self, node, deep=False):
        return {key_node.value: self.construct_object(value_node, deep=deep)
                for key_node, value_node in node.value}


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Place:
    key_line: int            # 1-based line of the key (or of the item)
    value_line: int          # 1-based line where the value's text starts
    block: bool = False      # the text starts on the line after value_line (YAML | or >, TOML """)
    literal: bool = False    # the value's lines are the file's lines (YAML |, TOML """)
    end_line: int = 0        # the last line of the value (0: the value line)


@dataclass
class Source:
    """A letter file read into data, with the line of every field where known."""

    path: Path
    text: str
    data: Any
    places: dict[Path_, Place] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    meant: set[str] = field(default_factory=set)  # fields a misspelled field was taken for

    @property
    def name(self) -> str:
        return display_path(self.path)

    def line(self, path: Path_, value: bool = False) -> int | None:
        """The line of a field, or of its nearest known parent."""
        for cut in range(len(path), -1, -1):
            place = self.places.get(tuple(path[:cut]))
            if place:
                return place.value_line if value else place.key_line
        return None

    def text_line(self, path: Path_, offset_line: int = 0, needle: str = "") -> int | None:
        """The file's line of line `offset_line` (0-based) of a text field's value.

        In a literal block (YAML `|`) the value's lines are the file's lines. Elsewhere (quoted
        text with \\n escapes, folded `>` text, plain text over several lines) a line of the
        value is looked up by its first words among the lines the value spans."""
        place = self.places.get(tuple(path))
        if place is None:
            base = self.line(path)
            return None if base is None else base + offset_line
        first = place.value_line + (1 if place.block else 0)
        last = max(place.end_line, first)
        if place.literal:
            return min(first + offset_line, last)
        if last == first:
            return first
        value = self.value(path)
        if not isinstance(value, str):
            return first
        lines = self.text.splitlines()

        def find(word: str, start: int) -> int | None:
            for number in range(start, min(last, len(lines)) + 1):
                if word in lines[number - 1]:
                    return number
            return None

        found = first
        for wanted in value.split("\n")[1: offset_line + 1]:
            words = wanted.split()
            if words:
                found = find(words[0], found + 1) or found
        if needle:  # the very words the problem is about, from the start of that value line
            found = find(needle.split()[0] if needle.split() else needle, found) or found
        return found

    def value(self, path: Path_) -> Any:
        data = self.data
        for part in path:
            try:
                data = data[part]
            except (KeyError, IndexError, TypeError):
                return None
        return data

    def field_at(self, line: int) -> Path_:
        """The deepest field whose key is on or above a line (for problems found in the text)."""
        best: Path_ = ()
        best_line = 0
        for path, place in self.places.items():
            if place.key_line <= line and (place.key_line, len(path)) >= (best_line, len(best)):
                best, best_line = path, place.key_line
        return best

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


def _refuse(path: Path, line: int | None, where: Path_, message: str) -> LetterError:
    return LetterError([Problem(display_path(path), line, field_name(where), message)])


def read_source(path: Path, data: bytes | None = None) -> Source:
    """Read a letter file (or `data`, its bytes already read, so that what a build hashes is
    what it renders); a file that cannot be read raises LetterError with the line."""
    name = display_path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise LetterError([Problem(name, None, "", f"a letter file ends in {', '.join(SUFFIXES)}; "
                                   f"rename it or leave it out")])
    if data is None:
        data = read_letter(path)  # regular files only, size-capped, never blocks
    return read_text(path, data)


def read_text(path: Path, raw: bytes) -> Source:
    """A letter file's bytes into a Source (see read_source)."""
    name = display_path(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LetterError([Problem(name, line, "", "the file is not UTF-8 text; save it as UTF-8")])
    text = text.lstrip("\ufeff")
    text, controls = _control_characters(text)
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
    _check_shape(source)
    for line, char in controls[:_MAX_CONTROL_PROBLEMS]:
        source.problems.append(source.problem(
            source.field_at(line), f"the control character {_describe(char)} cannot be "
            f"printed; remove it (it is often pasted in by accident)", line))
    if len(controls) > _MAX_CONTROL_PROBLEMS:
        source.problems.append(Problem(source.name, controls[_MAX_CONTROL_PROBLEMS][0], "",
                                       f"and {len(controls) - _MAX_CONTROL_PROBLEMS} more "
                                       f"control characters from this line on; remove them"))
    return source


_MAX_CONTROL_PROBLEMS = 10  # reported one by one; the rest counted in one more problem


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def _control_characters(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Raw control characters (tab, newline and carriage return aside) with their lines; the
    text with each replaced by a space, so the rest of the file can still be checked."""
    found = [(text.count("\n", 0, match.start()) + 1, match.group())
             for match in _CONTROL.finditer(text)]
    return (_CONTROL.sub(" ", text) if found else text), found


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}" + (f" {unicodedata.name(char)}" if unicodedata.name(char, "")
                                   else "")


# -- YAML ------------------------------------------------------------------------------------

_YAML_WORDS = [  # libyaml's problem -> what a policy officer does about it
    ("mapping values are not allowed",
     "a colon followed by a space cannot stand in a text without quotes; put the text in "
     "quotes, e.g. subject: \"Brief: over de begroting\""),
    ("could not find expected ':'",
     "this line is not 'field: value'; indent a continued text under its field, or put the "
     "text in quotes"),
    ("did not find expected key",
     "the indentation is off: this field or '- ' item is not lined up with the ones above "
     "it; check the spaces at the start of this line"),
    ("expected <block end>",
     "the indentation is off: this field or '- ' item is not lined up with the ones above "
     "it; check the spaces at the start of this line"),
    ("did not find expected '-' indicator",
     "the indentation is off: a '- ' item is not lined up with the ones above it"),
    ("found unexpected end of stream",
     "a quote or bracket opened here is never closed; close it"),
    ("expected a single document",
     "the file holds more than one document (a second '---' line); keep one letter per file"),
    ("found unknown escape character",
     "a backslash in double quotes starts an escape such as \\n; write \\\\ for a backslash, "
     "or use single quotes"),
    ("cannot start any token",
     "this character cannot start a text; put the text in quotes"),
]


def _yaml_words(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    what = (exc.problem or "unreadable YAML").strip()
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in what and exc.context_mark:  # where the unclosed quote was opened
        mark = exc.context_mark
    line = mark.line + 1 if mark else None
    lines = text.splitlines()
    here = lines[line - 1] if line and line <= len(lines) else ""
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" in indent or "tab" in what:
        return line, "a tab is not allowed for indentation in a letter file; use spaces"
    for words, sentence in _YAML_WORDS:
        if words in what:
            return line, sentence
    return line, (f"the YAML cannot be read: {what}. Check the indentation and quotes on this "
                  f"line or the one above")


_LONG_INT = re.compile(r"[-+]?[0-9][0-9_]*")


class _Scan:
    """A walk over the parser's events before anything is built: the nesting depth, anchors,
    aliases, tags, field names that are not words and long numbers are refused with the line
    and the field. libyaml's parser keeps its own stack; its composer does not."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.stack: list[list] = []  # [kind, key or index, expecting a key]

    def where(self) -> Path_:
        out: list = []
        for kind, at, _ in self.stack:
            if at is not None:
                out.append(at)
        return tuple(out)

    def refuse(self, event, message: str) -> LetterError:
        return _refuse(self.path, event.start_mark.line + 1, self.where(), message)

    def run(self) -> None:
        loader = _Loader(self.text)
        try:
            while True:
                try:
                    event = loader.get_event()
                except yaml.MarkedYAMLError as exc:
                    line, sentence = _yaml_words(exc, self.text)
                    raise _refuse(self.path, line, self.where(), sentence)
                if isinstance(event, yaml.StreamEndEvent):
                    return
                self.event(event)
        finally:
            loader.dispose()

    def event(self, event) -> None:
        top = self.stack[-1] if self.stack else None
        is_key = top is not None and top[0] == "map" and top[2]
        if isinstance(event, yaml.AliasEvent):
            raise self.refuse(event, f"'*{event.anchor}' repeats a part of the file (a YAML "
                              f"alias); write the text out where it belongs")
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            if event.anchor is not None:
                raise self.refuse(event, f"'&{event.anchor}' marks a part of the file for "
                                  f"repeating (a YAML anchor), which a letter does not use; "
                                  f"remove it")
            if event.tag is not None and event.tag != "!":
                shown = event.tag.replace("tag:yaml.org,2002:", "!!")
                raise self.refuse(event, f"'{shown}' is a YAML type tag; a letter holds only "
                                  f"text, lists and fields: remove it")
        if isinstance(event, yaml.ScalarEvent):
            if is_key:
                top[1], top[2] = event.value, False
                return
            if (not event.style and len(event.value) > limits.MAX_NUMBER_DIGITS
                    and _LONG_INT.fullmatch(event.value)):
                raise self.refuse(event, f"a number of more than {limits.MAX_NUMBER_DIGITS} "
                                  f"digits; if it is text, put it in quotes")
            self.next_item()
        elif isinstance(event, yaml.CollectionStartEvent):
            if is_key:
                raise self.refuse(event, "a field name must be a word, not a list or a group "
                                  "of fields")
            if len(self.stack) >= limits.MAX_DEPTH:
                raise self.refuse(event, f"lists and fields are nested more than "
                                  f"{limits.MAX_DEPTH} deep here; a letter needs far fewer "
                                  f"levels: check the brackets and indentation")
            if isinstance(event, yaml.MappingStartEvent):
                self.stack.append(["map", None, True])
            else:
                self.stack.append(["seq", 0, False])
        elif isinstance(event, yaml.CollectionEndEvent):
            self.stack.pop()
            self.next_item()

    def next_item(self) -> None:
        """A value ended: a mapping now expects a key, a sequence its next item."""
        if not self.stack:
            return
        top = self.stack[-1]
        if top[0] == "map":
            top[2] = True
        else:
            top[1] += 1


def _read_yaml(path: Path, text: str) -> Source:
    _Scan(path, text).run()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        line, sentence = _yaml_words(exc, text)
        raise _refuse(path, line, (), sentence)
    except (yaml.YAMLError, ValueError) as exc:
        raise _refuse(path, None, (), f"the YAML cannot be read: {exc}")
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
    style = node.style if isinstance(node, yaml.ScalarNode) else None
    end = node.end_mark.line + (1 if node.end_mark.column else 0)
    source.places[path] = Place(key_line, node.start_mark.line + 1, style in ("|", ">"),
                                style == "|", max(end, node.start_mark.line + 1))
    _map_node(node, path, source)


# -- JSON and TOML: a token scan before the parser -----------------------------------------

_JSON_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[{]|[\]}]|\n|[-+0-9.eE_]{%d,}'
                          % (limits.MAX_NUMBER_DIGITS + 1))
_TOML_TOKENS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"?|'
                          r"'[^'\n]*'?|#[^\n]*|[\[{]|[\]}]|\n|[-+0-9.eE_:]{%d,}"
                          % (limits.MAX_NUMBER_DIGITS + 1))


def _scan_tokens(path: Path, text: str, tokens: re.Pattern, locate) -> None:
    """Depth and long numbers, outside strings and comments, before a recursive parser runs.
    `locate(line, position)` gives the field there."""
    depth, line = 0, 1
    for match in tokens.finditer(text):
        token = match.group()
        first = token[0]
        if token == "\n":
            line += 1
        elif first in "[{":
            depth += 1
            if depth > limits.MAX_DEPTH:
                raise _refuse(path, line, locate(line, match.start()), f"lists and fields are "
                              f"nested more than {limits.MAX_DEPTH} deep here; a letter needs "
                              f"far fewer levels: check the brackets")
        elif first in "]}":
            depth -= 1
        elif first in "\"'#":
            line += token.count("\n")
        elif sum(c.isdigit() for c in token) > limits.MAX_NUMBER_DIGITS:
            raise _refuse(path, line, locate(line, match.start()), f"a number of more than "
                          f"{limits.MAX_NUMBER_DIGITS} digits; if it is text, put it in quotes")


def _read_json(path: Path, text: str) -> Source:
    def key_before(line: int, position: int | None = None) -> Path_:
        """The last key before a place (JSON has no positions for the parser's errors)."""
        if position is None:
            position = sum(len(row) + 1 for row in text.split("\n")[:line])
        keys = re.findall(r'"((?:[^"\\\n]|\\.)*)"\s*:', text[:position])
        return (keys[-1],) if keys else ()

    _scan_tokens(path, text, _JSON_TOKENS, key_before)
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
        raise _refuse(path, exc.lineno, key_before(exc.lineno),
                      f"the JSON cannot be read: {exc.msg}")
    except (ValueError, RecursionError) as exc:
        raise _refuse(path, None, (), f"the JSON cannot be read: {exc}")
    source = Source(path, text, data)
    try:  # JSON is YAML: borrow the YAML reader for line numbers only
        _Scan(path, text).run()
        loader = _Loader(text)
        node = loader.get_single_node()
        loader.dispose()
        if node is not None:
            _map_node(node, (), source)
    except (yaml.YAMLError, LetterError):
        source.places.clear()
        source.problems = [Problem(source.name, None, key, f"'{key}' is given twice; keep one")
                           for key in duplicates]
    return source


def _read_toml(path: Path, text: str) -> Source:
    places = _toml_places(text)
    probe = Source(path, text, None, places)
    _scan_tokens(path, text, _TOML_TOKENS, lambda line, position: probe.field_at(line))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        what = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise _refuse(path, line, probe.field_at(line) if line else (),
                      f"the TOML cannot be read: {what}")
    except (ValueError, RecursionError) as exc:
        raise _refuse(path, None, (), f"the TOML cannot be read: {exc}")
    return Source(path, text, data, places)


_TOML_KEY_PART = r'(?:"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|[A-Za-z0-9_-]+)'
_TOML_DOTTED = rf"{_TOML_KEY_PART}(?:\s*\.\s*{_TOML_KEY_PART})*"
_TOML_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_TOML_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_TOML_ASSIGN = re.compile(rf"^\s*({_TOML_DOTTED})\s*=\s*")


def _toml_keys(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip('"\'') for part in re.findall(_TOML_KEY_PART, dotted))


def _toml_places(text: str) -> dict[Path_, Place]:
    """The line of every table, array-of-tables entry and key of a TOML text (tomllib keeps
    no positions): headers [a.b] and [[a]] are followed, and multi-line strings skipped."""
    places: dict[Path_, Place] = {}
    counts: dict[Path_, int] = {}  # array of tables -> index of its last entry
    table: Path_ = ()
    lines = text.split("\n")

    def resolve(keys: tuple[str, ...]) -> Path_:
        out: Path_ = ()
        for key in keys:
            out += (key,)
            if out in counts:
                out += (counts[out],)
        return out

    starts = [0]  # offset of every line in the text
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        header = _TOML_HEADER.match(line)
        if header:
            keys = _toml_keys(header.group(2))
            if header.group(1) == "[[":
                array = resolve(keys[:-1]) + (keys[-1],)
                counts[array] = counts.get(array, -1) + 1
                places.setdefault(array, Place(number, number))
                table = array + (counts[array],)
            else:
                table = resolve(keys)
            places[table] = Place(number, number)
            continue
        assign = _TOML_ASSIGN.match(line)
        if not assign:
            continue
        here = table + _toml_keys(assign.group(1))
        rest = line[assign.end():]
        for quote in ('"""', "'''"):
            if rest.startswith(quote):
                close = text.find(quote, starts[number - 1] + assign.end() + 3)
                end = text.count("\n", 0, close) + 1 if close >= 0 else number
                block = rest[3:].strip() == ""
                places[here] = Place(number, number, block, True, end)
                number = end
                break
        else:
            places[here] = Place(number, number)
    return places


# -- after reading: the shape of the data ----------------------------------------------------

_OWN_LIMITS = {"sections", "footnotes", "minister"}  # counted in compose, with their own limits


def _check_shape(source: Source) -> None:
    """Depth (TOML's dotted keys make depth without brackets) and the length of lists, over
    the data without recursion."""
    todo: list[tuple[Path_, Any]] = [((), source.data)]
    while todo:
        path, value = todo.pop()
        if len(path) > limits.MAX_DEPTH:
            line = min((place.key_line for key, place in source.places.items()
                        if key[:len(path)] == path), default=source.line(path))
            raise _refuse(source.path, line, path, f"lists and fields are nested "
                          f"more than {limits.MAX_DEPTH} deep here; a letter needs far fewer "
                          f"levels")
        if isinstance(value, dict):
            todo.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            named = [part for part in path if isinstance(part, str)]
            if len(value) > limits.MAX_ITEMS and not (named and named[-1] in _OWN_LIMITS):
                source.problems.append(source.problem(
                    path, f"this list has {len(value)} items; a letter file allows at most "
                    f"{limits.MAX_ITEMS} here"))
            todo.extend((path + (index,), item) for index, item in enumerate(value))
