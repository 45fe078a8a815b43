"""Read one YAML data file, keeping the line of every value for error messages.

Data files come from pull requests, so the reader refuses, with file, line and field,
everything that could hide data from a reviewer, read outside data/ or take unbounded
time, before any of it reaches the validators:

- files that are not regular files (symbolic links, FIFOs, devices) and files larger
  than MAX_BYTES; lines longer than MAX_LINE characters;
- anchors (&name), aliases (*name) and merge keys (<<): refused on the parser's first
  such event, before anything is expanded, so an alias bomb fails in milliseconds;
- tags (!name, !!type), a key repeated in one mapping (YAML keeps the last one
  silently), more than one document, nesting deeper than MAX_DEPTH, more than
  MAX_NODES values, sequences longer than MAX_ITEMS, mappings with more than MAX_KEYS;
- invisible and control characters (see INVISIBLE below), anywhere in the file.

Worst case: every limit is checked while the events stream in, so the time taken is
linear in the file's size, which is at most MAX_BYTES (measured in tests/test_hostile.py).
"""

from __future__ import annotations

import codecs
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

# libyaml's parser when PyYAML has it (about ten times faster), the Python one otherwise.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1024 * 1024  # 1 MiB: the largest data file today is 37 KB
MAX_LINE = 2000          # characters; the longest line today has 668
MAX_DEPTH = 12           # nested mappings/sequences; the deepest data today has 6
MAX_NODES = 50_000       # values in one file; the largest file today has 1,564
MAX_ITEMS = 1_000        # items of one sequence; the longest today has 171
MAX_KEYS = 10_000        # keys of one mapping (link-status.yml has one per address)

# Characters refused anywhere in a data file, because they are invisible or change how
# the text around them is displayed (Trojan Source), so a reviewer cannot see them:
# - Cc: C0 and C1 control characters (the line feed "\n" is the only one allowed, with
#   "\r" before it for Windows line ends; tabs are refused with their own message);
# - Cf: format characters: bidirectional embeddings, overrides and isolates
#   (U+202A-202E, U+2066-2069), marks (U+200E, U+200F, U+061C), zero-width space,
#   non-joiner and joiner (U+200B-200D), word joiner (U+2060), soft hyphen (U+00AD),
#   U+FEFF (byte-order mark) inside the text, tag characters (U+E0000-E007F);
# - Zl, Zp: U+2028 and U+2029, line breaks that some tools see and others do not;
# - Co: private-use characters, which look like whatever a font puts there;
# - Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), blank in most fonts, and
#   U+FFFD, the mark of text already damaged by a wrong encoding.
# The zero-width space and joiners have no use in this catalogue's Chinese and English
# text (Chinese needs no word separators; no emoji sequences are written), and break
# search and duplicate detection; if a language that needs them is ever added, allow
# U+200C/U+200D here for the fields in that language.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
_REFUSED_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\ufffd")

ALLOWED_TEXT = "visible characters, spaces and line breaks"


class YamlFileError(Exception):
    """A file that cannot be read as YAML at all, or that uses what data files may not."""

    def __init__(self, path: Path, line: int | None, message: str, field: str = ""):
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message
        self.field = field


@dataclass
class YamlFile:
    path: Path
    data: object
    lines: dict[tuple, int]  # path of keys/indexes -> 1-based line

    def line_of(self, location: tuple) -> int | None:
        """Line of the deepest known part of `location` (a key path)."""
        location = tuple(location)
        while location:
            if location in self.lines:
                return self.lines[location]
            location = location[:-1]
        return self.lines.get((), 1)


def read_yaml(path: Path) -> YamlFile:
    """Read a regular file (never through a symbolic link, never more than MAX_BYTES)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        if os.path.islink(path):
            raise YamlFileError(path, None, "is a symbolic link; data files must be regular files inside data/") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise YamlFileError(path, None, "is not a regular file; data files must be regular files inside data/")
        raw = handle.read(MAX_BYTES + 1)
    return parse_yaml(raw, path)


def _refused_character(char: str) -> bool:
    return unicodedata.category(char) in _REFUSED_CATEGORIES or char in _REFUSED_EXTRA


def _describe_char(char: str) -> str:
    name = unicodedata.name(char, "")
    if not name:
        name = "CONTROL CHARACTER" if unicodedata.category(char) == "Cc" else "PRIVATE-USE CHARACTER"
    return f"U+{ord(char):04X} ({name})"


def _invisible(lines: list[str]) -> dict[int, list[tuple[int, str]]]:
    """0-based line -> [(0-based column, character)] of every refused character."""
    found: dict[int, list[tuple[int, str]]] = {}
    for number, line in enumerate(lines):
        if line.isprintable() or not line:  # the fast path: str.isprintable runs in C
            continue
        for column, char in enumerate(line):
            if char == "\r" and column == len(line) - 1:
                continue  # Windows line end
            if char != " " and _refused_character(char):
                found.setdefault(number, []).append((column, char))
    return found


def _invisible_message(column: int, char: str) -> str:
    return (
        f"contains the invisible character {_describe_char(char)} at column {column + 1}: it can hide or "
        f"reorder text; delete it (allowed: {ALLOWED_TEXT})"
    )


def parse_yaml(raw: bytes, path: Path) -> YamlFile:
    """Parse the bytes of a data file that lives (or will live) at `path`."""
    if len(raw) > MAX_BYTES:
        raise YamlFileError(path, None, f"is larger than {MAX_BYTES // 1024} KB; split it or shorten it")
    if raw.startswith(codecs.BOM_UTF8):
        raise YamlFileError(path, 1, "starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlFileError(path, line, "is not valid UTF-8; save it as UTF-8") from None
    lines = text.split("\n")
    for number, line_text in enumerate(lines, start=1):
        if "\t" in line_text:
            raise YamlFileError(path, number, "contains a tab character; indent with spaces")
        if len(line_text) > MAX_LINE:
            raise YamlFileError(
                path, number, f"has a line of {len(line_text)} characters (at most {MAX_LINE}); break it up"
            )
    invisible = _invisible(lines)
    if invisible:
        # Parsed with each such character replaced by a visible one, only to learn
        # which field it is in; the file is refused either way.
        for number, hits in invisible.items():
            chars = list(lines[number])
            for column, _ in hits:
                chars[column] = "x"
            lines[number] = "".join(chars)
        text = "\n".join(lines)
    composer = _Composer(text, path, invisible)
    try:
        node = composer.compose()
        data = composer.loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        if invisible:
            _raise_invisible(path, invisible)
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlFileError(path, line, f"is not valid YAML: {problem}") from None
    except yaml.YAMLError as error:
        if invisible:
            _raise_invisible(path, invisible)
        raise YamlFileError(path, None, f"is not valid YAML: {error}") from None
    finally:
        composer.loader.dispose()
    if invisible:  # in a comment or between values: no field to name
        _raise_invisible(path, invisible)
    return YamlFile(path=path, data=data, lines=composer.lines)


def _raise_invisible(path: Path, invisible: dict, field: str = "") -> None:
    line = min(invisible)
    column, char = invisible[line][0]
    raise YamlFileError(path, line + 1, _invisible_message(column, char), field)


class _Composer:
    """Builds the node tree from libyaml's events, refusing as it goes what data files
    may not use; records the line of every key path on the way."""

    def __init__(self, text: str, path: Path, invisible: dict):
        self.loader = _DataLoader(text)
        self.path = path
        self.invisible = invisible
        self.lines: dict[tuple, int] = {}
        self.nodes = 0

    def refuse(self, event, message: str, location: tuple = ()) -> None:
        field = ".".join(str(part) for part in location)
        raise YamlFileError(self.path, event.start_mark.line + 1, message, field)

    def compose(self):
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            loader.get_event()
            return None
        loader.get_event()  # document start
        node = self.node((), 0)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            self.refuse(loader.peek_event(), "holds more than one YAML document (a second ---); keep one per file")
        loader.get_event()
        return node

    def node(self, location: tuple, depth: int):
        loader = self.loader
        event = loader.get_event()
        self.lines.setdefault(location, event.start_mark.line + 1)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.refuse(event, f"holds more than {MAX_NODES} values; split it", location)
        if isinstance(event, AliasEvent):
            self.refuse(
                event,
                f"uses the alias *{event.anchor}: anchors (&) and aliases (*) are not allowed in data files; "
                "write the value out in full",
                location,
            )
        if event.anchor is not None:
            self.refuse(
                event,
                f"defines the anchor &{event.anchor}: anchors (&) and aliases (*) are not allowed in data files; "
                "write the value out in full",
                location,
            )
        if event.tag is not None:
            self.refuse(
                event,
                f"has the tag {event.tag}: tags (! and !!) are not allowed in data files; write a plain value "
                "(in quotes if it must stay text)",
                location,
            )
        if isinstance(event, ScalarEvent):
            self.check_invisible(event, location)
            tag = loader.resolve(ScalarNode, event.value, event.implicit)
            return ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        if depth >= MAX_DEPTH:
            self.refuse(event, f"is nested more than {MAX_DEPTH} levels deep; data files are flatter", location)
        if isinstance(event, SequenceStartEvent):
            tag = loader.resolve(SequenceNode, None, event.implicit)
            node = SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
            index = 0
            while not loader.check_event(SequenceEndEvent):
                if index >= MAX_ITEMS:
                    self.refuse(loader.peek_event(), f"lists more than {MAX_ITEMS} items; split the file", location)
                node.value.append(self.node(location + (index,), depth + 1))
                index += 1
            node.end_mark = loader.get_event().end_mark
            return node
        if isinstance(event, MappingStartEvent):
            tag = loader.resolve(MappingNode, None, event.implicit)
            node = MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
            seen: dict[str, int] = {}
            while not loader.check_event(MappingEndEvent):
                if len(node.value) >= MAX_KEYS:
                    self.refuse(loader.peek_event(), f"has more than {MAX_KEYS} keys; split the file", location)
                key_event = loader.peek_event()
                if not isinstance(key_event, (ScalarEvent, AliasEvent)):
                    self.refuse(key_event, "has a key that is not plain text; keys are single words", location)
                key_node = self.node(location + (key_event.value,), depth + 1)
                key = key_node.value
                key_line = key_node.start_mark.line + 1
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.refuse(
                        key_event,
                        "uses a merge key (<<): it copies values in from elsewhere; write every field out in full",
                        location + (key,),
                    )
                if key in seen:
                    self.refuse(
                        key_event,
                        f"the key '{key}' appears twice in one mapping (lines {seen[key]} and {key_line}); "
                        "YAML would silently keep only the last: keep one",
                        location + (key,),
                    )
                seen[key] = key_line
                value_node = self.node(location + (key,), depth + 1)
                self.lines[location + (key,)] = key_line
                node.value.append((key_node, value_node))
            node.end_mark = loader.get_event().end_mark
            return node
        self.refuse(event, "is not valid YAML: unexpected " + type(event).__name__, location)

    def check_invisible(self, event, location: tuple) -> None:
        if not self.invisible:
            return
        start, end = event.start_mark, event.end_mark
        for line in range(start.line, end.line + 1):
            for column, char in self.invisible.get(line, ()):
                after_start = line > start.line or column >= start.column
                before_end = line < end.line or column < end.column
                if after_start and before_end:
                    field = ".".join(str(part) for part in location)
                    raise YamlFileError(self.path, line + 1, _invisible_message(column, char), field)


class _DataLoader(_BaseLoader):
    """Safe loader that keeps dates as strings: the schema checks their format."""


_DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
