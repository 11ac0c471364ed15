"""Judgements about who is who: the curated file and the stored ones, read as one set.

The file (`identity-judgements/1`, `settings.IDENTITY_JUDGEMENTS`):

    format: identity-judgements/1
    people:                 # each one person, with every key the sources name them by
      - slug: abdullah-ii   # their page
        name: Abdullah II
        keys: [hsg-name:jordan:abdullah ii, hsg-name:jordan:abdullah]
        note: ...
    different:              # pairs of keys that are never one person
      - keys: [hsg-record:foreign-visits:2381:0, hsg-record:foreign-visits:3150:1]
        note: ...
    unsure:                 # pairs looked at and left as they are
      - keys: [..., ...]

Stored judgements (`IdentityJudgement`, made in the admin) add to it: a
"same" pair joins its two keys' people (or makes a person of the two), a
"different" pair is one more pair that never joins, "unsure" is recorded
only. A file that breaks the format raises JudgementsError with every
problem, so an import never runs on half a file.
"""

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

from .. import rules
from ..models import IdentityJudgement
from .keys import PRECEDENCE

FORMAT = "identity-judgements/1"
KEY_PATTERN = re.compile(r"^(?:hsg-who|hsg-name|hsg-record|official):\S.*$")


class JudgementsError(Exception):
    def __init__(self, path, problems):
        super().__init__("\n".join(f"{path}: {problem}" for problem in problems))
        self.problems = problems


@dataclass
class Person:
    """One person: the page they have (slug and name, when a curator gave them) and the keys that are them."""

    keys: list
    slug: str = ""
    name: str = ""
    note: str = ""


@dataclass
class Judgements:
    people: list = field(default_factory=list)
    different: set = field(default_factory=set)  # {frozenset({key, key})}
    unsure: set = field(default_factory=set)
    by_key: dict = field(default_factory=dict)  # key -> Person

    def person_of(self, keys):
        """Return the Person the most specific of `keys` belongs to, or None."""
        for key in sorted(keys, key=lambda k: PRECEDENCE.index(k.split(":", 1)[0])):
            if key in self.by_key:
                return self.by_key[key]
        return None

    def differ(self, keys, other_keys):
        """Return True if a judgement says some key of `keys` is not the person of some key of `other_keys`."""
        return any(frozenset((a, b)) in self.different for a in keys for b in other_keys)

    def add_person(self, person):
        self.people.append(person)
        for key in person.keys:
            self.by_key[key] = person

    def join(self, left, right):
        """Record that two keys are one person (a stored "same" judgement)."""
        first, second = self.by_key.get(left), self.by_key.get(right)
        if first is None and second is None:
            self.add_person(Person(keys=[left, right]))
        elif first is None or second is None:
            person = first or second
            key = left if first is None else right
            person.keys.append(key)
            self.by_key[key] = person
        elif first is not second:
            for key in second.keys:
                self.by_key[key] = first
            first.keys += second.keys
            first.slug, first.name = first.slug or second.slug, first.name or second.name
            self.people.remove(second)


# libyaml's parser where PyYAML has it: the file is read by every batch of every load and import.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=8)
def parsed(path, modified_ns, size):
    """The file's YAML, parsed once per version of the file (its path, modification time and size)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SafeLoader)  # noqa: S506 (a safe loader)


def read_file(path):
    """Return the Judgements of a file; raise JudgementsError listing every problem of it."""
    path = Path(path)
    try:
        stat = path.stat()
        data = parsed(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError as error:
        raise JudgementsError(path, [f"cannot read it: {error.strerror}"]) from None
    except yaml.YAMLError as error:
        raise JudgementsError(path, [f"not valid YAML: {error}"]) from None
    problems = []
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise JudgementsError(path, [f"expected `format: {FORMAT}` at the top"])
    judgements = Judgements()
    for index, entry in enumerate(data.get("people") or []):
        where = f"people[{index}]"
        keys = [str(key) for key in entry.get("keys") or []]
        slug, name = str(entry.get("slug") or ""), str(entry.get("name") or "")
        if slug and (message := rules.slug_problem(slug)):
            problems.append(f"{where}.slug: {message}")
        if not keys:
            problems.append(f"{where}.keys: a person needs at least one key")
        for key in keys:
            if not KEY_PATTERN.match(key):
                problems.append(f"{where}.keys: {key!r} is not a key (hsg-who:, hsg-name:, hsg-record:, official:)")
            elif key in judgements.by_key:
                problems.append(f"{where}.keys: {key!r} is already a key of another person")
        judgements.add_person(Person(keys=keys, slug=slug, name=name, note=str(entry.get("note") or "")))
    for section in ("different", "unsure"):
        for index, entry in enumerate(data.get(section) or []):
            keys = [str(key) for key in entry.get("keys") or []]
            if len(set(keys)) != 2:
                problems.append(f"{section}[{index}].keys: a judgement is about two keys")
                continue
            getattr(judgements, section).add(frozenset(keys))
    if problems:
        raise JudgementsError(path, problems)
    return judgements


def current():
    """Return every judgement now in force: the curated file's, then the stored ones."""
    path = getattr(settings, "IDENTITY_JUDGEMENTS", None)
    judgements = read_file(path) if path and Path(path).is_file() else Judgements()
    for verdict, left, right in IdentityJudgement.objects.order_by("decided_at", "pk").values_list(
        "verdict", "left", "right"
    ):
        if verdict == IdentityJudgement.Verdict.SAME:
            judgements.join(left, right)
        elif verdict == IdentityJudgement.Verdict.DIFFERENT:
            judgements.different.add(frozenset((left, right)))
        else:
            judgements.unsure.add(frozenset((left, right)))
    return judgements
