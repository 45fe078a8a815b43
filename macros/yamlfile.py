"""Read one YAML data file, keeping the line of every value for error messages."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import yaml


# libyaml's parser when PyYAML has it (about ten times faster), the Python one otherwise.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DataLoader(_BaseLoader):
    """Safe loader that keeps dates as strings: the schema checks their format."""


_DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlFileError(Exception):
    """A file that cannot be read as YAML at all."""

    def __init__(self, path: Path, line: int | None, message: str):
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message


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


def _node_lines(node: yaml.Node, location: tuple, out: dict[tuple, int]) -> None:
    out.setdefault(location, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[location + (key,)] = key_node.start_mark.line + 1
            _node_lines(value_node, location + (key,), out)
            out[location + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, location + (index,), out)


def read_yaml(path: Path) -> YamlFile:
    return parse_yaml(path.read_bytes(), path)


def parse_yaml(raw: bytes, path: Path) -> YamlFile:
    """Parse the bytes of a data file that lives (or will live) at `path`."""
    if raw.startswith(codecs.BOM_UTF8):
        raise YamlFileError(path, 1, "starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlFileError(path, line, "is not valid UTF-8; save it as UTF-8") from None
    for number, line_text in enumerate(text.splitlines(), start=1):
        if "\t" in line_text:
            raise YamlFileError(path, number, "contains a tab character; indent with spaces")
    loader = _DataLoader(text)
    try:
        # One parse: the node tree gives the lines, constructing it gives the data.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlFileError(path, line, f"is not valid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise YamlFileError(path, None, f"is not valid YAML: {error}") from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    if node is not None:
        _node_lines(node, (), lines)
    return YamlFile(path=path, data=data, lines=lines)
