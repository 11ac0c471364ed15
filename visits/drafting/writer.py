"""A Draft written as an annotation file (`visit-report/1`), with comments for the reviewer.

Every text value is written as a JSON string, which is a YAML double-quoted
scalar: no value can be misread (a bare `NO`, a quote starting with a
quotation mark, a `: ` inside). Spans get the `occurrence` the loader needs
(`spans.span_entry`). Each entry's evidence, and what the drafter was unsure
of, is a comment on its line; unsure lines say `# unsure:` so the reviewer
can search for them. A quotation whose speaker was not found is not a
statement (a statement needs a speaker): it is listed in comments under the
visit's statements, with the speaker the drafter would guess.
"""

import json

from ..annotation import FORMAT
from ..spans import span_entry


def scalar(value):
    return json.dumps(value, ensure_ascii=False)


def flow(values):
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def comment(text):
    return " ".join(str(text).split())


def notes_comment(notes, prefix="unsure"):
    return f"  # {prefix}: {comment('; '.join(notes))}" if notes else ""


def write_draft(draft, reviewed=False):
    """Return the YAML text of `draft`; a `reviewed` one says so in its header and has no drafter's comments."""
    text = draft.text
    header = [
        "# Drafted by manage.py draft_annotations: review it before loading.",
        "# Lines marked `# unsure:` are the drafter's guesses; look there first.",
    ]
    if reviewed:
        header = ["# Drafted, then reviewed and saved on the New article page."]
    lines = [
        *header,
        f"format: {FORMAT}",
        "",
        "article:",
    ]
    meta = draft.meta
    lines.append(f"  title: {scalar(meta.title)}")
    lines.append(f"  published: {meta.published.isoformat()}")
    for key in ("publisher", "url", "author"):
        if getattr(meta, key):
            lines.append(f"  {key}: {scalar(getattr(meta, key))}")
    if meta.language and meta.language != "en":
        lines.append(f"  language: {scalar(meta.language)}")
    for note in draft.notes:
        lines.append(f"# unsure: {comment(note)}")
    officials = draft.officials
    if officials:
        lines += ["", "officials:"]
        for slug, person in officials.items():
            source = "known to the database" if person.known else f"from {comment(person.evidence)!r}"
            lines.append(f"  {slug}:  # {source}")
            lines.append(f"    name: {scalar(person.name)}")
            lines.append(f"    country: {scalar(person.country)}{notes_comment(country_notes(person))}")
            lines.append(f"    role: {scalar(person.role)}{notes_comment(role_notes(person))}")
            lines.append(f"    mentions: {flow(person.mentions)}{notes_comment(other_notes(person))}")
    if draft.topics:
        lines += ["", "topics:"]
        for slug, topic in sorted(draft.topics.items()):
            lines.append(f"  {slug}:")
            lines.append(f"    name: {scalar(topic.name)}")
            if topic.parent:
                lines.append(f"    parent: {scalar(topic.parent)}")
            lines.append(f"    mentions: {flow(topic.mentions)}")
    visit = draft.visit
    if visit:
        lines += ["", "visits:"]
        lines.append(f"  - slug: {scalar(visit.slug)}{notes_comment(visit.notes)}")
        lines.append(f"    visitors: {flow(visit.visitors)}")
        if visit.hosts:
            lines.append(f"    hosts: {flow(visit.hosts)}")
        lines.append(f"    host_country: {scalar(visit.host_country)}")
        lines.append(f"    start: {visit.start.isoformat()}")
        if visit.end:
            lines.append(f"    end: {visit.end.isoformat()}")
        if visit.places:
            lines.append(f"    places: {flow(visit.places)}")
        if visit.topics:
            lines.append(f"    topics: {flow(visit.topics)}")
        if visit.evidence:
            lines += span_lines(text, visit.evidence, "evidence", "    ")
        written = [s for s in draft.statements if s.speaker]
        if visit.meetings:
            lines.append("    meetings:")
            for index, meeting in enumerate(visit.meetings):
                lines.append(f"      - participants: {flow(meeting.participants)}{notes_comment(meeting.notes)}")
                if meeting.date:
                    lines.append(f"        date: {meeting.date.isoformat()}")
                if meeting.place:
                    lines.append(f"        place: {scalar(meeting.place)}")
                if meeting.topics:
                    lines.append(f"        topics: {flow(meeting.topics)}")
                lines += span_lines(text, meeting.evidence, "evidence", "        ")
                lines += statement_lines(text, [s for s in written if s.meeting == index], "        ")
        lines += statement_lines(text, [s for s in written if s.meeting is None], "    ")
        left_out = [s for s in draft.statements if not s.speaker]
        if left_out:
            lines.append("    # unsure: quotations whose speaker was not found; add them with a speaker:")
            for statement in left_out:
                guess = f" (perhaps {statement.candidate})" if statement.candidate else ""
                quote = comment(text[statement.start : statement.end])
                lines.append(f"    #   {scalar(quote)}{guess}: {comment(statement.unsure)}")
    if draft.outsiders:
        lines.append("# Left out: quotations by people who are not officials of the article:")
        for start, end, why in draft.outsiders:
            lines.append(f"#   {scalar(comment(text[start:end]))}: {comment(why)}")
    return "\n".join(lines) + "\n"


def span_lines(text, span, key, indent):
    entry = span_entry(text, span[0], span[1], key=key)
    lines = [f"{indent}{key}: {scalar(entry[key])}"]
    if "occurrence" in entry:
        lines.append(f"{indent}occurrence: {entry['occurrence']}")
    return lines


def statement_lines(text, statements, indent):
    if not statements:
        return []
    lines = [f"{indent}statements:"]
    for statement in statements:
        lines.append(f"{indent}  - speaker: {scalar(statement.speaker)}  # {comment(statement.evidence)}")
        if statement.kind != "direct":
            lines.append(f"{indent}    kind: {statement.kind}")
        entry = span_entry(text, statement.start, statement.end)
        lines.append(f"{indent}    quote: {scalar(entry['quote'])}")
        if "occurrence" in entry:
            lines.append(f"{indent}    occurrence: {entry['occurrence']}")
        if statement.topics:
            lines.append(f"{indent}    topics: {flow(statement.topics)}")
    return lines


def country_notes(person):
    return [n for n in person.notes if "country" in n]


def role_notes(person):
    return [n for n in person.notes if "title" in n or "office" in n]


def other_notes(person):
    return [n for n in person.notes if n not in country_notes(person) and n not in role_notes(person)]
