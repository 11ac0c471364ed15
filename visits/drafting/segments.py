"""Paragraphs and sentences of an article, as character offsets into its text (no database)."""

import re
from dataclasses import dataclass

# Abbreviations a sentence does not end at ("Gen. Mark Milley", "U.S. officials").
ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr Gen Lt Col Maj Capt Adm Sgt Sen Rep Gov Prof St Jr Sr No Mt Ft Rev Hon Pres Amb U.S U.K U.N E.U".split()  # noqa: SIM905, E501
)
# A sentence ends at . ! or ?, perhaps inside closing quotation marks, before a space and a capital or an opening mark.
BOUNDARY = re.compile(r"[.!?][\"”’»]*(?=\s+[\"“‘«(]?[A-Z0-9])")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def paragraphs(text):
    """Return the non-blank lines of `text` as Spans, without their surrounding spaces."""
    found = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if line.strip():
            start = match.start() + len(line) - len(line.lstrip())
            found.append(Span(start, match.start() + len(line.rstrip())))
    return found


def sentences(text):
    """Return the sentences of `text` as Spans, paragraph by paragraph."""
    found = []
    for paragraph in paragraphs(text):
        start = paragraph.start
        for boundary in BOUNDARY.finditer(text, paragraph.start, paragraph.end):
            word = re.search(r"([\w.]+)$", text[start : boundary.start()])
            if text[boundary.start()] == "." and word and word.group(1).rstrip(".") in ABBREVIATIONS:
                continue
            if word and len(word.group(1)) == 1 and word.group(1).isupper():
                continue  # an initial: "George W. Bush"
            found.append(Span(start, boundary.end()))
            start = boundary.end()
            while start < paragraph.end and text[start].isspace():
                start += 1
        if start < paragraph.end:
            found.append(Span(start, paragraph.end))
    return found


def containing(spans, position):
    """Return the span of `spans` holding `position`, or None."""
    for span in spans:
        if span.start <= position < span.end:
            return span
    return None
