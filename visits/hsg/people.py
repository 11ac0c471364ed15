"""People in the records: office and name apart, and when two names are one person.

Splitting. A visitor is written as title and name ("Prime Minister Benjamin
Netanyahu", "Amir Sheikh Tamim bin Hamad al-Thani", "President-elect
Arias"). The office is the longest run of leading words that are all title
words (`TITLE_WORDS`: "Prime", "Minister", "Crown", "Prince", "of", ...);
the rest is the name. Several people in one record ("President Francesco
Cossiga and Prime Minister Giulio Andreotti") are split at ",", "and" or "&"
when what follows starts with a title; "Premier and Prince Sihanouk" is one
person with two titles. The data's typing slips ("Prime Minster",
"President- elect") are mended first.

The same person (`same_person`). Names are normalised: parenthesised parts
dropped ("Henry A. (Heinz Alfred) Kissinger"), accents stripped, case
folded, punctuation made a word break, apostrophes removed, leading
honorifics ("Sheikh", "Sir", "Dom") and a trailing generational suffix
("Jr.", "III", ", 3rd") set apart. Two names in the same country are one
person when the normalised names are equal, or when

- the last names are equal, and
- the suffixes are equal (so Ferdinand Marcos is not Ferdinand Marcos Jr.), and
- the first names are equal, or forms of one given name (`GIVEN_NAME_FORMS`:
  short forms such as Joe/Joseph and Tony/Antony, and the usual
  transliterations such as Benjamin/Binyamin), and
- the middle names agree: either name has none, or their initials are
  equal ("Antony John Blinken" ~ "Antony Blinken" ~ "Antony J. Blinken",
  but "George H.W. Bush" is not "George W. Bush").

A lone surname ("Prime Minister Macmillan") only matches the same lone
surname: too little to tell people apart. Nor does the rule guess at typing
errors ("Nicloas Sarkozy") or spellings outside the table: each stays an
official of its own, because a wrong merge (Amata and Imata Kabua, two
presidents of the Marshall Islands) is worse than a missed one.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import slugify

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

# Honorifics that are not part of matching (kept in the displayed name).
HONORIFICS = frozenset({"sheikh", "sheik", "sir", "dom", "haji", "dr", "mr", "mrs", "ms"})

SUFFIXES = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr", "2nd": "ii", "3rd": "iii", "4th": "iv"}
ROMAN = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")

# Given names that are one name: short forms (Joe, Joseph) and the usual
# transliterations of one name (Benjamin, Binyamin). Each set is one name.
GIVEN_NAME_FORMS = [
    {"joe", "joseph"},
    {"bill", "will", "william"},
    {"jim", "jimmy", "james"},
    {"mike", "michael"},
    {"bob", "rob", "robert"},
    {"dick", "richard"},
    {"ron", "ronald"},
    {"tony", "anthony", "antony"},
    {"tom", "thomas"},
    {"jack", "john"},
    {"chuck", "charles"},
    {"dave", "david"},
    {"alex", "alexander", "aleksander"},
    {"benjamin", "benyamin", "binyamin"},
    {"mohammed", "mohammad", "mohamed", "muhammad", "muhammed"},
    {"dmitri", "dmitry", "dmitriy"},
    {"mikhail", "mikheil"},
]
SAME_GIVEN_NAME = {name: forms for forms in GIVEN_NAME_FORMS for name in forms}

# Letters NFKD does not decompose into ASCII.
FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE",
                      "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"})  # fmt: skip

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


def ascii_fold(text):
    """Return `text` with accents stripped and the few letters NFKD keeps folded to ASCII."""
    decomposed = unicodedata.normalize("NFKD", text.translate(FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def official_slug(name):
    """Return a slug for a person's name (lowercase ASCII words joined by hyphens)."""
    return slugify(ascii_fold(name)) or "official"


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


@dataclass(frozen=True)
class NameKey:
    """A name normalised for matching."""

    full: str
    first: str
    middles: tuple
    last: str
    suffix: str
    tokens: int

    @property
    def initials(self):
        return "".join(m[0] for m in self.middles)


def name_key(name):
    """Return the normalised form of a person's name (see the module docstring)."""
    text = re.sub(r"\([^)]*\)", " ", name or "")
    text = ascii_fold(text).casefold()
    text = re.sub(r"['’`]", "", text)
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    full = " ".join(words)
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    suffix = ""
    if len(words) > 1 and (words[-1] in SUFFIXES or ROMAN.match(words[-1])):
        suffix = SUFFIXES.get(words[-1], words[-1])
        words = words[:-1]
    if not words:
        return NameKey(full, "", (), "", suffix, 0)
    return NameKey(full, words[0], tuple(words[1:-1]), words[-1], suffix, len(words))


def same_given_name(a, b):
    return a == b or b in SAME_GIVEN_NAME.get(a, ())


def same_person(a, b):
    """Return True if the names `a` and `b` (NameKeys or strings) are one person by the module's rule."""
    a = a if isinstance(a, NameKey) else name_key(a)
    b = b if isinstance(b, NameKey) else name_key(b)
    if not a.full or not b.full:
        return False
    if a.full == b.full:
        return True
    if a.tokens < 2 or b.tokens < 2:
        return False
    return (
        a.last == b.last
        and a.suffix == b.suffix
        and same_given_name(a.first, b.first)
        and (not a.middles or not b.middles or a.initials == b.initials)
    )


class PersonIndex:
    """Officials by country and last name, to find the ones a name may be.

    Entries are (reference, name): a reference is an Official's pk or any
    object standing for an official about to be created.
    """

    def __init__(self):
        self.entries = {}
        self.names = {}

    def add(self, ref, name, country):
        key = name_key(name)
        self.names[ref] = name
        self.entries.setdefault((str(country), key.last), []).append((ref, key))

    def candidates(self, name, country):
        """Return [(ref, exact)] of the officials of `country` that are the same person as `name`."""
        key = name_key(name)
        return [
            (ref, other.full == key.full)
            for ref, other in self.entries.get((str(country), key.last), [])
            if same_person(key, other)
        ]
