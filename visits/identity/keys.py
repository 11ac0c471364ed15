"""The keys sources name people by (see visits.identity).

- `hsg-who:<id>`: a traveller by the Office of the Historian's own id.
- `hsg-name:<country id>:<normalised name>`: every foreign leader a record
  of that country (its id as written in the data, e.g. `jordan`) names so
  (visits.names.name_key(name).full).
- `hsg-record:<dataset>:<record id>:<position>`: one person of one record.
- `official:<slug>`: an official an article names by that slug.

A record key is the most specific: it beats a traveller id, which beats a
name, which beats the automatic name rule (`PRECEDENCE`).
"""

from ..names import name_key

PRECEDENCE = ("hsg-record", "hsg-who", "official", "hsg-name")


def record_key(dataset, record_id, position):
    return f"hsg-record:{dataset}:{record_id}:{position}"


def traveller_key(who):
    return f"hsg-who:{who}"


def name_key_of(country_id, name):
    return f"hsg-name:{country_id}:{name_key(name).full}"


def official_key(slug):
    return f"official:{slug}"


def kind(key):
    return key.split(":", 1)[0]


def in_precedence(keys):
    """Return `keys` most specific first."""
    return sorted(keys, key=lambda k: PRECEDENCE.index(kind(k)) if kind(k) in PRECEDENCE else len(PRECEDENCE))


def person_keys(record, position, person):
    """Return the keys of one person of an Office of the Historian record, most specific first."""
    keys = [record_key(record.dataset, record.record_id, position)]
    if record.person_key:
        keys.append(traveller_key(record.person_key))
    else:
        keys.append(name_key_of(record.country_id, person.name))
    return keys
