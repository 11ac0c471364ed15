"""Text spans: anchoring quotes, evidence and mentions in an article's text, and writing them back.

All offsets are Python string indices into the text exactly as read from the
`.txt` file, so `text[start:end] == quote` always holds. The loader anchors
spans with `anchor` and `find_mentions`, the admin with `anchor` (through
`visits.rules.span_problem`), and the annotation writers (`export_articles`,
the demo) state a span with `span_entry`, which adds the `occurrence` that
`anchor` needs to find it again.
"""

import difflib
import re

# Typographic characters annotators commonly type differently from the text.
LOOKALIKES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


class NotFound(Exception):
    """The span is not in the text; the message says what is closest."""


class Ambiguous(Exception):
    """The span occurs more than once and no occurrence was given."""


def occurrences(text, span):
    """Return the start offsets of every occurrence of `span` in `text`."""
    starts, position = [], text.find(span)
    while position != -1:
        starts.append(position)
        position = text.find(span, position + 1)
    return starts


def anchor(text, span, occurrence=None):
    """Return (start, end) of `span` in `text`, or raise NotFound / Ambiguous."""
    starts = occurrences(text, span)
    if not starts:
        raise NotFound(not_found_message(text, span))
    if occurrence is None:
        if len(starts) > 1:
            lines = ", ".join(str(text.count("\n", 0, s) + 1) for s in starts)
            raise Ambiguous(
                f"occurs {len(starts)} times in the text (lines {lines}); add `occurrence:` (1 to {len(starts)})"
            )
        occurrence = 1
    if occurrence > len(starts):
        times = "once" if len(starts) == 1 else f"{len(starts)} times"
        raise NotFound(f"occurrence {occurrence} asked for, but it occurs only {times} in the text")
    start = starts[occurrence - 1]
    return start, start + len(span)


def occurrence_of(text, start, end):
    """Return the `occurrence` that anchors text[start:end], or None when that text occurs once."""
    found = occurrences(text, text[start:end])
    return found.index(start) + 1 if len(found) > 1 and start in found else None


def span_entry(text, start, end, key="quote"):
    """Return {key: text[start:end]}, plus `occurrence` when that text occurs more than once (the format's rule 1)."""
    entry = {key: text[start:end]}
    if occurrence := occurrence_of(text, start, end):
        entry["occurrence"] = occurrence
    return entry


def nearest_occurrence(text, fragment, near):
    """Return the start of the occurrence of `fragment` in `text` nearest to offset `near`, or None."""
    found = occurrences(text, fragment)
    return min(found, key=lambda start: abs(start - near)) if found else None


def not_found_message(text, span):
    """Say that `span` is not in `text`, showing the passage most like it."""
    normalized_text = collapse(text.translate(LOOKALIKES))
    normalized_span = collapse(span.translate(LOOKALIKES))
    if normalized_span and normalized_span in normalized_text:
        return (
            "not found in the text verbatim; it differs only in quotation marks, dashes or spacing "
            f"from the passage: {closest_passage(text, span)!r}"
        )
    return f"not found in the text; closest passage: {closest_passage(text, span)!r}"


def collapse(value):
    return re.sub(r"\s+", " ", value).strip()


def closest_passage(text, span):
    """Return the passage of `text`, as long as `span`, that best matches it."""
    if not text:
        return ""
    matcher = difflib.SequenceMatcher(None, text, span, autojunk=False)
    match = matcher.find_longest_match(0, len(text), 0, len(span))
    # Align the passage so the longest common run sits where it sits in the span.
    start = max(0, match.a - match.b)
    end = min(len(text), start + len(span))
    # Widen to whole words so the passage reads naturally.
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip()


def find_mentions(text, names_by_target):
    """Return non-overlapping mention spans [(start, end, target)], longest first.

    `names_by_target` maps a target (any hashable) to the strings that name it.
    Matches are whole words and case-sensitive; where two matches overlap the
    longer wins, and among equals the earlier one.
    """
    candidates = []
    for target, names in names_by_target.items():
        for name in names:
            candidates.extend((start, end, target) for start, end in whole_word_occurrences(text, name))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken, chosen = [], []
    for start, end, target in candidates:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        chosen.append((start, end, target))
    chosen.sort()
    return chosen


def mention_occurs(text, name):
    return next(whole_word_occurrences(text, name), None) is not None


WORD_CHARACTER = re.compile(r"\w")


def whole_word_occurrences(text, name):
    r"""Yield the (start, end) of each occurrence of `name` not inside a longer word.

    What re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text) finds,
    with str.find doing the searching: a regex per name (thousands of
    distinct names) kept the regex cache thrashing and was half of parsing.
    """
    if not name:
        return
    start = text.find(name)
    while start != -1:
        end = start + len(name)
        if (start == 0 or not WORD_CHARACTER.match(text, start - 1)) and not WORD_CHARACTER.match(text, end):
            yield start, end
            start = text.find(name, end)
        else:
            start = text.find(name, start + 1)
