"""The judgements in force written as the curated file (`identity-judgements/1`), so admin curation is versioned.

`export()` returns the text of the file `settings.IDENTITY_JUDGEMENTS`
with every stored judgement (visits.models.IdentityJudgement, made by
merging, splitting and judging the queue in the admin) added to it, in the
order they were made, as `visits.identity.judgements.current()` applies
them:

- "same" joins its two keys into one `people` entry (an entry holding
  either key gains the other; two entries become one; otherwise a new
  entry). An entry without a slug gets the slug and name of the official
  its keys lead to now, so the page keeps its address when the database is
  rebuilt from the file;
- "different" and "unsure" add their pair (with the editor's note) unless
  the file has it.

Written in the file's own layout (block lists of keys, flow pairs, notes
quoted when they hold punctuation), so a file with nothing added comes back
byte for byte, and a diff shows only what curation added. The file's
comment lines at the top are kept.
"""

import json
from pathlib import Path

import yaml
from django.conf import settings

from ..identity import judgements as judgements_module
from ..identity.keys import kind
from ..models import IdentityJudgement, IdentityKey, Official, SourceRecordOfficial

HEADER = "# Who is one person and who is not. See docs/identity-judgements.md."
QUOTED = ",;:#"  # the file quotes notes that hold these, as its authors did


def scalar(value):
    """Return `value` as the file writes a scalar: plain where YAML reads it back as is, else double-quoted."""
    plain = yaml.safe_dump(value, width=10**9, allow_unicode=True).removesuffix("\n...\n").removesuffix("\n")
    if plain.startswith(("'", '"')) or "\n" in plain or any(c in value for c in QUOTED):
        return json.dumps(value, ensure_ascii=False)
    return plain


def flow_key(key):
    plain = scalar(key) if any(c in key for c in ",[]{}#'\"") else key
    return plain


def read(path):
    """Return (the file's data, its header comment lines); an absent file is an empty one."""
    path = Path(path) if path else None
    if not path or not path.is_file():
        return {"format": judgements_module.FORMAT}, [HEADER]
    judgements_module.read_file(path)  # refuses a broken file with every problem, before anything is written
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines()[1:]:
        if not line.startswith("#"):
            break
        header.append(line)
    return yaml.safe_load(text), header


class Curated:
    """The file's entries, to which stored judgements are added."""

    def __init__(self, data):
        self.people = [dict(entry) for entry in data.get("people") or []]
        for entry in self.people:
            entry["keys"] = [str(key) for key in entry.get("keys") or []]
        self.sections = {name: [dict(entry) for entry in data.get(name) or []] for name in ("different", "unsure")}
        self.pairs = {
            name: {frozenset(map(str, entry.get("keys") or [])) for entry in entries}
            for name, entries in self.sections.items()
        }
        self.added = []  # entries made or grown here, to name after their official

    def entry_of(self, key):
        return next((entry for entry in self.people if key in entry["keys"]), None)

    def join(self, left, right, note):
        first, second = self.entry_of(left), self.entry_of(right)
        if first is None and second is None:
            entry = {"keys": [left, right]}
            if note:
                entry["note"] = note
            self.people.append(entry)
        elif first is None or second is None:
            entry = first or second
            entry["keys"].append(left if first is None else right)
        elif first is not second:
            entry = first
            first["keys"] += second["keys"]
            for field in ("slug", "name"):
                if not first.get(field) and second.get(field):
                    first[field] = second[field]
            notes = [n for n in (first.get("note"), second.get("note")) if n]
            if notes:
                first["note"] = " ".join(notes)
            self.people.remove(second)
        else:
            return
        self.added.append(entry)

    def pair(self, section, left, right, note):
        pair = frozenset((left, right))
        if pair not in self.pairs[section]:
            self.pairs[section].add(pair)
            entry = {"keys": [left, right]}
            if note:
                entry["note"] = note
            self.sections[section].append(entry)

    def name_new_people(self):
        """Give each entry made here without a slug the slug and name of the official its keys lead to now."""
        wanted = [entry for entry in self.added if not entry.get("slug") and entry in self.people]
        keys = {key for entry in wanted for key in entry["keys"]}
        holder = dict(IdentityKey.objects.filter(key__in=keys).values_list("key", "official_id"))
        for entry in SourceRecordOfficial.objects.filter(official__isnull=False).values_list(
            "record__dataset", "record__record_id", "position", "official_id"
        ):
            key = f"hsg-record:{entry[0]}:{entry[1]}:{entry[2]}"
            if key in keys:
                holder[key] = entry[3]
        merged_into = dict(Official.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
        officials = Official.objects.in_bulk()
        for entry in wanted:
            for key in sorted(entry["keys"], key=lambda k: kind(k) != "official"):
                official_id = holder.get(key)
                while official_id in merged_into:
                    official_id = merged_into[official_id]
                if official_id in officials:
                    official = officials[official_id]
                    entry["slug"], entry["name"] = official.slug, official.name
                    break


def layout(curated, header):
    """Return the file's text."""
    lines = [f"format: {judgements_module.FORMAT}", *header, "people:"]
    for entry in curated.people:
        fields = [field for field in ("slug", "name", "keys", "note") if entry.get(field)]
        for number, field in enumerate(fields):
            prefix = "  - " if number == 0 else "    "
            if field == "keys":
                lines.append(f"{prefix}keys:")
                lines += [f"      - {flow_key(key)}" for key in entry["keys"]]
            else:
                lines.append(f"{prefix}{field}: {scalar(str(entry[field]))}")
    for section, entries in curated.sections.items():
        lines.append(f"{section}:")
        for entry in entries:
            lines.append(f"  - keys: [{', '.join(flow_key(str(key)) for key in entry['keys'])}]")
            if entry.get("note"):
                lines.append(f"    note: {scalar(str(entry['note']))}")
    return "\n".join(lines) + "\n"


def export(path=None):
    """Return (the file's text with the stored judgements added, how many stored judgements there are)."""
    path = path if path is not None else getattr(settings, "IDENTITY_JUDGEMENTS", None)
    data, header = read(path)
    curated = Curated(data)
    stored = list(
        IdentityJudgement.objects.order_by("decided_at", "pk").values_list("verdict", "left", "right", "note")
    )
    for verdict, left, right, note in stored:
        if verdict == IdentityJudgement.Verdict.SAME:
            curated.join(left, right, note)
        else:
            curated.pair(verdict, left, right, note)
    curated.name_new_people()
    return layout(curated, header), len(stored)
