"""The format's value rules, shared by the loader and the admin forms.

Each function returns an error message (a string) or None, so that the
loader can attach it to a file line and key path and the admin to a form
field, from the same code.
"""

from django_countries import countries

from .loading.text import Ambiguous, NotFound, anchor  # noqa: F401 - re-exported for the admin


def end_before_start(start, end):
    """Return an error if the visit ends before it starts."""
    if start and end and end < start:
        return f"The visit ends ({end}) before it starts ({start})."
    return None


def date_outside_visit(date, start, end):
    """Return an error if a meeting's date is outside its visit's dates."""
    if date and start and not (start <= date <= (end or start)):
        return f"{date} is outside the visit ({start} to {end or start})."
    return None


def unknown_country(code):
    """Return an error unless `code` is an ISO 3166-1 alpha-2 code (any case)."""
    if len(code.strip()) != 2 or code.strip().upper() not in countries:
        return f"{code!r} is not an ISO 3166-1 alpha-2 country code."
    return None


def parent_cycle(node, parent, parent_of, label=str):
    """Return an error if making `parent` the parent of `node` closes a cycle.

    `parent_of` maps each node to its current parent (None for a root);
    nodes are slugs in the loader and primary keys in the admin.
    """
    chain, current = [node], parent
    while current is not None:
        if current == node:
            return "Topic parents would form a cycle: " + " -> ".join(label(n) for n in [*chain, node]) + "."
        if current in chain:
            return None  # an older cycle elsewhere; not this edit's doing
        chain.append(current)
        current = parent_of.get(current)
    return None


def span_problem(text, quote, occurrence=None):
    """Return (start, end, None) for a quote anchored in `text`, or (None, None, error)."""
    try:
        start, end = anchor(text, quote, occurrence)
    except (NotFound, Ambiguous) as exc:
        return None, None, str(exc)
    return start, end, None
