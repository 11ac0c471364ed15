"""The format's value rules and their messages: the one home of each.

Each rule is a function that returns an error message (a string) or None, so
that the loader can attach it to a file line and key path
(`file:line: key: message`), the admin to a form field and a model's
`clean()` to a field, from the same code and with the same words. Messages
are lowercase phrases without a final full stop, as the loader prints them.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django_countries import countries

from . import spans, topic_tree

# What a slug is (the format's "lowercase ASCII words joined by hyphens"); the models' CHECK constraints use it too.
SLUG_REGEX = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_PATTERN = re.compile(SLUG_REGEX)
URL_MAX_LENGTH = 500
# C0 controls and DEL, but tab, line feed and carriage return: PostgreSQL text cannot hold NUL at all,
# and none of them belongs in an article or an annotation.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def slug_problem(value):
    """Return an error unless `value` is a slug."""
    if not SLUG_PATTERN.match(value):
        return f"{value!r} is not a slug: use lowercase ASCII words joined by hyphens"
    return None


def validate_slug(value):
    """A model field validator for `slug_problem`: the admin's forms say what the loader says."""
    if message := slug_problem(value):
        raise ValidationError(message, code="invalid")


def country_code(value):
    """Return `value` as an ISO 3166-1 alpha-2 code (any case and spacing accepted), or None if it is not one."""
    code = value.strip().upper()
    return code if len(code) == 2 and code in countries else None


def country_problem(value):
    """Return an error unless `value` is an ISO 3166-1 alpha-2 code (any case)."""
    if country_code(value) is None:
        return f"{value!r} is not an ISO 3166-1 alpha-2 country code"
    return None


def control_character_problem(value):
    """Return an error if `value` holds a control character other than a tab or a line break."""
    if found := CONTROL_CHARACTER.search(value):
        line = value.count("\n", 0, found.start()) + 1
        where = f" on line {line}" if "\n" in value else ""
        code = f"U+{ord(found.group()):04X}"
        return f"contains the control character {code}{where}: only tabs and line breaks may be used"
    return None


def url_problem(url):
    """Return an error unless `url` is a web address (http or https) of at most URL_MAX_LENGTH characters.

    Django's URL validator, which the admin used on its own, decides what a
    web address is; a space, quote or angle bracket (markup) must be percent-encoded.
    """
    if not url.startswith(("http://", "https://")):
        return f"{url!r} is not a web address (http:// or https://)"
    if len(url) > URL_MAX_LENGTH:
        return f"longer than {URL_MAX_LENGTH} characters"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return f"{url!r} is not a valid web address"
    if any(character in url for character in "<>\"'`{}|\\^ "):
        return f"{url!r} is not a valid web address: percent-encode spaces, quotes and angle brackets"
    return None


def end_before_start(start, end):
    """Return an error if a visit ends before it starts."""
    if start and end and end < start:
        return f"the visit ends ({end}) before it starts ({start})"
    return None


def date_outside_visit(date, start, end):
    """Return an error if a meeting's date is outside its visit's dates (`end` None: a one-day visit)."""
    last = end or start
    if date and start and not (start <= date <= last):
        return f"{date} is outside the visit ({start} to {last})"
    return None


def topic_cycle(chain):
    """Return the error for topic parents that form the cycle `chain` ([a, b, ..., a], as labels)."""
    return f"topic parents form a cycle: {' -> '.join(map(str, chain))}"


def parent_cycle(node, parent, parent_of, label=str):
    """Return an error if making `parent` the parent of `node` closes a cycle in the tree `parent_of`.

    Nodes are slugs in the loader and primary keys in the admin; `label`
    turns a node into what the message shows.
    """
    chain = topic_tree.closing_cycle(node, parent, parent_of)
    return topic_cycle([label(n) for n in chain]) if chain else None


def span_problem(text, quote, occurrence=None):
    """Return (start, end, None) for a quote anchored in `text`, or (None, None, error)."""
    try:
        start, end = spans.anchor(text, quote, occurrence)
    except (spans.NotFound, spans.Ambiguous) as exc:
        return None, None, str(exc)
    return start, end, None
