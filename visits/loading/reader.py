"""Typed reading of a YAML node tree, keeping line numbers and key paths.

We compose the YAML into nodes instead of constructing Python objects, so
that YAML's implicit typing never decides for us: a bare `NO` stays the
scalar "NO" with a boolean tag (and we say so), and `2021-02-31` is a
string we check ourselves instead of an exception from the parser.
"""

import datetime
import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .. import rules

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

TAG_NAMES = {
    NULL_TAG: "empty",
    BOOL_TAG: "a boolean",
    INT_TAG: "a number",
    "tag:yaml.org,2002:float": "a number",
    TIMESTAMP_TAG: "a date",
}
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located by line and key path."""

    line: int | None
    path: str
    message: str
    warning: bool = False

    def format(self, filename):
        where = f"{filename}:{self.line}" if self.line else filename
        return f"{where}: {self.path}: {self.message}"


def line_of(node):
    return node.start_mark.line + 1


def describe(node):
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return TAG_NAMES.get(node.tag, "text")


def compose(text):
    """Return the root node of a YAML document, or raise yaml.YAMLError."""
    # libyaml's parser when PyYAML has it: ten times faster, and the same nodes and marks. A broken file
    # is parsed again in Python, whose messages are the clearer ones (and the same on every machine).
    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        try:
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except RecursionError:  # limits.check_yaml_shape refuses deep files first; this is the last guard
            raise yaml.YAMLError("nested too deeply to read") from None


class Reader:
    """Reads values out of nodes, recording a Problem for each bad one."""

    def __init__(self):
        self.problems = []

    def error(self, node, path, message):
        self.problems.append(Problem(line_of(node) if node is not None else None, path, message))

    def warn(self, node, path, message):
        self.problems.append(Problem(line_of(node) if node is not None else None, path, message, warning=True))

    @property
    def errors(self):
        return [p for p in self.problems if not p.warning]

    # Containers -----------------------------------------------------------

    def mapping(self, node, path, required=(), optional=()):
        """Return {key: value node} of a mapping node with exactly the allowed keys."""
        if not isinstance(node, MappingNode):
            self.error(node, path, f"expected a mapping of keys, got {describe(node)}")
            return None
        allowed = set(required) | set(optional)
        values = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None or key == "<<":
                self.error(key_node, path, "keys must be plain words")
                continue
            if key in values:
                self.error(key_node, join(path, key), "duplicate key")
                continue
            if key not in allowed:
                self.error(key_node, join(path, key), f"unknown key (allowed here: {', '.join(sorted(allowed))})")
                continue
            values[key] = value_node
        for key in required:
            if key not in values:
                self.error(node, join(path, key), "required key is missing")
        return values

    def keyed_mapping(self, node, path):
        """Return [(slug, key node, value node)] of a mapping keyed by slug."""
        if not isinstance(node, MappingNode):
            self.error(node, path, f"expected a mapping keyed by slug, got {describe(node)}")
            return []
        entries, seen = [], set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else ""
            if not (isinstance(key_node, ScalarNode) and key_node.tag == STR_TAG):
                self.error(key_node, path, f"expected a slug as key, got {describe(key_node)}")
                continue
            if message := rules.slug_problem(key):
                self.error(key_node, join(path, key), message)
                continue
            if key in seen:
                self.error(key_node, join(path, key), "defined twice")
                continue
            seen.add(key)
            entries.append((key, key_node, value_node))
        return entries

    def sequence(self, node, path):
        """Return the item nodes of a list node."""
        if not isinstance(node, SequenceNode):
            self.error(node, path, f"expected a list, got {describe(node)}")
            return []
        return list(node.value)

    # Scalars --------------------------------------------------------------

    def text(self, node, path, max_length=None):
        """Return non-empty text of at most `max_length` characters; a bare boolean, number or date is refused."""
        if not isinstance(node, ScalarNode):
            self.error(node, path, f"expected text, got {describe(node)}")
            return None
        if node.tag != STR_TAG:
            hint = f'; put it in quotes: "{node.value}"' if node.value else ""
            self.error(node, path, f"expected text, but YAML reads {node.value or 'this'} as {describe(node)}{hint}")
            return None
        value = node.value.strip()
        if not value:
            self.error(node, path, "must not be empty")
            return None
        if max_length is not None and len(value) > max_length:
            self.error(node, path, f"longer than {max_length} characters")
            return None
        if message := rules.control_character_problem(node.value):
            self.error(node, path, message)  # a "\0" in double quotes: PostgreSQL could not store it
            return None
        return node.value

    def text_list(self, node, path):
        values = []
        for index, item in enumerate(self.sequence(node, path)):
            value = self.text(item, f"{path}[{index}]")
            if value is not None:
                values.append(value)
        return values

    def slug(self, node, path):
        value = self.text(node, path)
        if value is not None and (message := rules.slug_problem(value)):
            self.error(node, path, message)
            return None
        return value

    def slug_list(self, node, path):
        """Return [(slug, node, path)] for a list of slugs, refusing repeats."""
        items, seen = [], set()
        for index, item in enumerate(self.sequence(node, path)):
            item_path = f"{path}[{index}]"
            value = self.slug(item, item_path)
            if value is None:
                continue
            if value in seen:
                self.error(item, item_path, f"{value} is listed twice")
                continue
            seen.add(value)
            items.append((value, item, item_path))
        return items

    def date(self, node, path):
        if not isinstance(node, ScalarNode) or node.tag not in (STR_TAG, TIMESTAMP_TAG):
            self.error(node, path, f"expected a date (YYYY-MM-DD), got {describe(node)}")
            return None
        if not DATE_PATTERN.fullmatch(node.value):
            self.error(node, path, f"expected a date (YYYY-MM-DD), got {node.value!r}")
            return None
        try:
            return datetime.date.fromisoformat(node.value)
        except ValueError:
            self.error(node, path, f"{node.value} is not a real date")
            return None

    def positive_int(self, node, path):
        if not isinstance(node, ScalarNode) or node.tag != INT_TAG or not node.value.isdigit():
            self.error(
                node,
                path,
                f"expected a whole number from 1, got {node.value if isinstance(node, ScalarNode) else describe(node)}",
            )
            return None
        value = int(node.value)
        if value < 1:
            self.error(node, path, "counts from 1")
            return None
        return value

    def choice(self, node, path, choices):
        value = self.text(node, path)
        if value is not None and value not in choices:
            self.error(node, path, f"{value!r} is not one of: {', '.join(choices)}")
            return None
        return value


def join(path, key):
    return f"{path}.{key}" if path else key
