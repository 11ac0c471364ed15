"""People's names: folding, sorting, variants, and when two names are one person (no database).

Folding (`fold`): accents stripped, the few letters NFKD keeps (ø, ł, ß,
æ) written in ASCII, case folded: "Müller" and "muller" are one search.
`search_form` also makes punctuation a word break, for matching words.

Sorting (`sort_name`): by surname, then the given names, folded: "Charles
de Gaulle" and "de Gaulle" sort under G, "Ferdinand Marcos Jr." under M;
a particle ("de", "van", "al", "bin") goes with the given names. Names
written family name first (Xi Jinping) sort by their last word too: the
records do not say which order a name is in.

Variants (`variants`): the forms a person is looked for by: the name, and
for a name with middle names or initials, first and last name alone
("Antony John Blinken" is also "Antony Blinken").

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
presidents of the Marshall Islands) is worse than a missed one; an editor's
judgement (visits.identity) joins what the rule leaves apart.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import slugify

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


def ascii_fold(text):
    """Return `text` with accents stripped and the few letters NFKD keeps folded to ASCII."""
    decomposed = unicodedata.normalize("NFKD", text.translate(FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def official_slug(name):
    """Return a slug for a person's name (lowercase ASCII words joined by hyphens)."""
    return slugify(ascii_fold(name)) or "official"


def fold(text):
    """Return `text` folded for comparing: ASCII letters, case folded, spaces collapsed."""
    return " ".join(ascii_fold(text or "").casefold().split())


def search_form(text):
    """Return `text` as people are searched by: folded, apostrophes dropped, punctuation a word break.

    "Al-Thani", "al Thani" and "AL THANI" are "al thani"; "O'Brien" is "obrien".
    """
    text = re.sub(r"['’`]", "", fold(text))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def sort_name(name):
    """Return the key a list of people sorts `name` by: surname first, folded (see the module docstring)."""
    key = name_key(name)
    words = re.sub(r"[^a-z0-9]+", " ", fold(re.sub(r"\([^)]*\)", " ", name or ""))).split()
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    if key.suffix and len(words) > 1:
        words = words[:-1]
    if not words:
        return ""
    return " ".join([words[-1], *words[:-1], key.suffix]).strip()


# Words that join a name's parts ("de Gaulle", "bin Hamad", "al-Thani"): a name holding one is not
# shortened to its first and last word.
PARTICLES = frozenset({"de", "del", "della", "di", "da", "das", "dos", "du", "van", "von", "der", "den", "la", "le",
                       "al", "el", "bin", "ibn", "bint", "ben", "ter", "ten", "y"})  # fmt: skip


def variants(name):
    """Return the forms `name` is looked for by: itself, and first and last name alone when it has more.

    "Antony John Blinken" is also "Antony Blinken", and "Henry A. (Heinz
    Alfred) Kissinger" "Henry Kissinger"; a name with an honorific, a
    suffix or a particle ("Charles de Gaulle", "Tamim bin Hamad al-Thani")
    is left whole.
    """
    forms = [" ".join(name.split())]
    words = re.sub(r"\([^)]*\)", " ", name).split()
    folded = re.sub(r"[^a-z0-9]+", " ", fold(" ".join(words))).split()
    key = name_key(name)
    plain = not key.suffix and folded and folded[0] not in HONORIFICS and not PARTICLES.intersection(folded)
    if plain and len(words) > 2:
        forms.append(f"{words[0]} {words[-1]}")
    return forms


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
