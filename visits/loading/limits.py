"""How much one annotated article may hold, so that no file can exhaust memory, time or the database.

The limits come from `settings.LOADER_LIMITS` (each has an environment
variable, see config/settings.py and the README's "Security" section). A file
over a limit is refused with a message that names the limit and how to raise
it; nothing of it is written, and the other files of the run still load.

YAML is checked before it is composed: aliases (`*a`) repeat what an anchor
(`&a`) names without copying it, so a few kilobytes of nested aliases stand
for millions of statements. `check_yaml_shape` counts the nodes the document
stands for, aliases expanded, and its nesting depth, from the parser's event
stream, without building anything.
"""

from dataclasses import dataclass

import yaml
from django.conf import settings
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    ScalarEvent,
)

from .reader import Problem

VARIABLES = {
    "text_bytes": "LOADER_MAX_TEXT_BYTES",
    "yaml_bytes": "LOADER_MAX_YAML_BYTES",
    "yaml_nodes": "LOADER_MAX_YAML_NODES",
    "yaml_depth": "LOADER_MAX_YAML_DEPTH",
    "statements": "LOADER_MAX_STATEMENTS",
    "meetings": "LOADER_MAX_MEETINGS",
    "mentions": "LOADER_MAX_MENTIONS",
}


@dataclass(frozen=True)
class Limits:
    text_bytes: int
    yaml_bytes: int
    yaml_nodes: int
    yaml_depth: int
    statements: int
    meetings: int
    mentions: int

    @classmethod
    def from_settings(cls):
        return cls(**settings.LOADER_LIMITS)

    def over(self, name, found, what):
        """Return the message for `found` (a number of `what`) over the limit `name`."""
        return (
            f"{what} is {found:,}, more than the limit of {getattr(self, name):,} (set {VARIABLES[name]} to raise it)"
        )


def check_size(path, limits, name):
    """Return a Problem if the file at `path` is larger than the `name` limit (in bytes), else None."""
    size = path.stat().st_size
    if size > getattr(limits, name):
        return Problem(None, "(file)", limits.over(name, size, f"the size of {path.name} in bytes"))
    return None


def check_yaml_shape(text, limits):
    """Return a Problem if the YAML nests deeper or stands for more nodes (aliases expanded) than allowed.

    libyaml's parser reads the events fast; where it gives up (it stops at
    its own nesting limit), Python's parser, which keeps its state in a list
    rather than recursing, reads them again, so that a deep document is
    reported as too deep instead of reaching a recursive composer.
    """
    try:
        return shape_problem(text, limits, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        try:
            return shape_problem(text, limits, yaml.SafeLoader)
        except yaml.YAMLError:
            return None  # not valid YAML: composing it says where and why


def shape_problem(text, limits, loader):
    sizes = {}  # anchor -> how many nodes it stands for
    stack = []  # [nodes so far, anchor] of each open mapping or list
    total = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, CollectionStartEvent):
            stack.append([1, event.anchor])
            if len(stack) > limits.yaml_depth:
                line = event.start_mark.line + 1
                return Problem(line, "(yaml)", limits.over("yaml_depth", len(stack), "the nesting depth"))
            continue
        if isinstance(event, CollectionEndEvent):
            size, anchor = stack.pop()
        elif isinstance(event, ScalarEvent):
            size, anchor = 1, event.anchor
        elif isinstance(event, AliasEvent):
            size, anchor = sizes.get(event.anchor, 1), None
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        if stack:
            stack[-1][0] += size
        else:
            total += size
        expanded = total + sum(count for count, _ in stack)
        if expanded > limits.yaml_nodes:
            what = "the number of YAML nodes, aliases expanded,"
            return Problem(event.start_mark.line + 1, "(yaml)", limits.over("yaml_nodes", expanded, what))
    return None
