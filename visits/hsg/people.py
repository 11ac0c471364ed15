"""People in the records: office and name apart (when two names are one person: visits.names).

Splitting. A visitor is written as title and name ("Prime Minister Benjamin
Netanyahu", "Amir Sheikh Tamim bin Hamad al-Thani", "President-elect
Arias"). The office is the longest run of leading words that are all title
words (`TITLE_WORDS`: "Prime", "Minister", "Crown", "Prince", "of", ...);
the rest is the name. Several people in one record ("President Francesco
Cossiga and Prime Minister Giulio Andreotti") are split at ",", "and" or "&"
when what follows starts with a title; "Premier and Prince Sihanouk" is one
person with two titles. The data's typing slips ("Prime Minster",
"President- elect") are mended first.

Whether two names are one person is `visits.names.same_person`, shared with
the people pages and the identity review.
"""

import re
from dataclasses import dataclass

from ..names import PersonIndex, ascii_fold, name_key, official_slug, same_person

__all__ = ["Person", "PersonIndex", "ascii_fold", "clean", "name_key", "official_slug", "parse_visitors", "same_person"]

# Words an office is made of; the name starts at the first word not here.
TITLE_WORDS = frozenset({
    "acting", "interim", "provisional", "federal", "vice", "deputy", "first", "general", "governor", "grand",
    "chief", "head", "junta", "member", "prime", "minister", "premier", "president", "chancellor", "secretary",
    "chairman", "presidency", "state", "of", "the", "and", "&", "king", "queen", "emperor", "empress", "pope",
    "prince", "princess", "crown", "regent", "shah", "sultan", "amir", "emir", "taoiseach", "duke", "duchess",
    "brigadier", "lieutenant", "colonel", "major", "elect", "designate", "council", "ministers",
})  # fmt: skip
# Titles that are also given names ("Prime Minister Shah Mahmud"): a title only as the first word.
LEADING_ONLY = frozenset({"shah", "amir", "emir", "sultan"})
# Words that start an office: a comma, "and" or "&" followed by one of these starts a new person.
OFFICE_STARTS = TITLE_WORDS - {"of", "the", "and", "&", "elect", "designate", "member", "state"}


TYPOS = [
    (re.compile(r"\bPrime\s+Mini?ste?re?(?=\b|[A-Z])"), "Prime Minister"),  # "Prime Minster", "Prime Ministere"
    (re.compile(r"\bMinister(?=[A-Z])"), "Minister "),  # "Prime MinisterHaidar"
    (re.compile(r"-\s+(?=elect\b|designate\b)", re.IGNORECASE), "-"),  # "President- elect"
    (re.compile(r"-Elect\b"), "-elect"),
]


@dataclass(frozen=True)
class Person:
    """One person a record names: the office it gives them (maybe empty) and their name."""

    office: str
    name: str


def clean(text):
    return " ".join((text or "").split())


def is_title(word):
    return all(part.lower().strip(".,") in TITLE_WORDS for part in word.split("-") if part)


def split_office(text):
    """Return Person(office, name) for one title-and-name text."""
    words = text.split()
    n = 0
    while n < len(words) and is_title(words[n]) and not (n and words[n].lower() in LEADING_ONLY):
        n += 1
    n = min(n, len(words) - 1)  # title words only: the last one is all there is of a name
    return Person(office=" ".join(words[:n]), name=" ".join(words[n:]))


SEPARATOR = re.compile(r"\s*(,|&|\band\b)\s*")


def parse_visitors(text):
    """Return the people a visits record's free text names, in order."""
    text = clean(text)
    for pattern, replacement in TYPOS:
        text = pattern.sub(replacement, text)
    if not text:
        return []
    pieces = SEPARATOR.split(text)  # [text, separator, text, separator, text, ...]
    people = [pieces[0]]
    for separator, part in zip(pieces[1::2], pieces[2::2], strict=True):
        words = part.split()
        starts_office = bool(words) and words[0].lower().split("-")[0] in OFFICE_STARTS
        if starts_office and not all(is_title(word) for word in people[-1].split()):
            people.append(part)
        else:
            # ", Jr.", ", 3rd", or "Premier and Prince Sihanouk": still the same person.
            people[-1] += (", " if separator == "," else f" {separator} ") + part
    return [split_office(person) for person in map(clean, people) if person]
