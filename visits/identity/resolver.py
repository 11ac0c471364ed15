"""Which official a source's person is, with the judgements applied: what the importer and loader ask.

`Resolver` is built once per run from the judgements in force
(`judgements.current()`) and the keys already resolved (`IdentityKey`).
For a person named by `keys`:

1. a person the judgements declare (by the most specific of the keys) is
   that person's official: the one with the declared slug, else the one
   already holding one of the person's keys, else a new official with the
   declared slug and name (`declared_official`);
2. otherwise the caller's own rule decides (the traveller's id, the record's
   current person, the name rule), among candidates `excluded` leaves: no
   official holding a key judged different from these keys.

`remember(keys, official)` records what each key resolved to; `save()`
writes it, and says which officials lost keys to others in the run, so that
an official the judgements emptied can be retired into the one that took
its keys (`retire_emptied`), its address leading there. A record key is not
stored: the record's own person entry (SourceRecordOfficial) says who it is.
"""

from collections import Counter, defaultdict

from django.db.models import Exists, OuterRef

from ..models import (
    ArticleOfficial,
    IdentityKey,
    Meeting,
    Official,
    SourceRecordOfficial,
    Statement,
    Visit,
)
from . import judgements as judgements_module
from .keys import kind, record_key


def pk_of_reference(reference):
    """An official's id, from an id or from a new official's reference (None until it is written)."""
    return getattr(reference, "pk", reference)


def canonical(official_id, merged_into):
    """Follow `merged_into` ({id: id}) from an official to the one it now is."""
    seen = set()
    while official_id in merged_into and official_id not in seen:
        seen.add(official_id)
        official_id = merged_into[official_id]
    return official_id


class Resolver:
    def __init__(self, judgements=None):
        self.judgements = judgements or judgements_module.current()
        self.key_official = dict(IdentityKey.objects.values_list("key", "official_id"))
        for dataset, record_id, position, official_id in SourceRecordOfficial.objects.values_list(
            "record__dataset", "record__record_id", "position", "official_id"
        ):
            self.key_official[record_key(dataset, record_id, position)] = official_id
        self.official_keys = defaultdict(set)
        for key, official_id in self.key_official.items():
            self.official_keys[official_id].add(key)
        self.merged_into = dict(Official.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
        self.declared = {}  # id(Person) -> official id or a new-official reference
        # The keys some "different" judgement names, and the keys each is judged different from.
        self.different_from = defaultdict(set)
        for pair in self.judgements.different:
            first, second = tuple(pair)
            self.different_from[first].add(second)
            self.different_from[second].add(first)
        self.resolved = {}  # key -> official id or a new-official reference, from this run
        self.moved = defaultdict(Counter)  # official that lost keys -> {official that took them: how many}

    def declared_person(self, keys):
        return self.judgements.person_of(keys)

    def declared_official(self, person, make_new):
        """Return the official id (or `make_new(person)`'s reference) that a declared person is."""
        if id(person) in self.declared:
            reference = self.declared[id(person)]
            return getattr(reference, "pk", None) or reference  # a new official, once written, by its id
        official_id = None
        if person.slug:
            found = Official.objects.filter(slug=person.slug).values_list("pk", flat=True).first()
            official_id = canonical(found, self.merged_into) if found else None
        if official_id is None:
            holders = Counter(
                canonical(self.key_official[key], self.merged_into) for key in person.keys if key in self.key_official
            )
            official_id = holders.most_common(1)[0][0] if holders else None
        reference = official_id if official_id is not None else make_new(person)
        self.declared[id(person)] = reference
        return reference

    def excluded(self, keys):
        """Return the ids of officials holding a key judged a different person from one of `keys`."""
        others = {other for key in keys for other in self.different_from.get(key, ())}
        holders = {self.key_official[other] for other in others if other in self.key_official}
        holders |= {pk_of_reference(self.resolved[other]) for other in others if other in self.resolved}
        return {canonical(pk, self.merged_into) for pk in holders if pk is not None}

    def remember(self, keys, reference, declared=None):
        """Remember what `keys` resolved to; a key the judgements give another person is not theirs to take.

        (The 1978 record of the elder Karamanlis, decided by its record key,
        also carries the full-name key the judgements give his nephew.)
        """
        for key in keys:
            owner = self.judgements.by_key.get(key)
            if owner is None or owner is declared:
                self.resolved[key] = reference

    def save(self, pk_of):
        """Write what each key remembered resolved to (`pk_of(reference)` -> official id)."""
        rows = {}
        for key, reference in self.resolved.items():
            official_id = pk_of(reference)
            before = self.key_official.get(key)
            if before != official_id:
                if before is not None:
                    self.moved[before][official_id] += 1
                    self.official_keys[before].discard(key)
                self.key_official[key] = official_id
                self.official_keys[official_id].add(key)
                if kind(key) != "hsg-record":
                    rows[key] = official_id
        IdentityKey.objects.bulk_create(
            [IdentityKey(key=key, official_id=official_id) for key, official_id in rows.items()],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["official"],
        )
        self.resolved.clear()

    def retire_emptied(self):
        """Merge each official that lost keys in this run and is named by nothing any more; return their ids."""
        retired = []
        named = (
            Official.objects.filter(pk__in=list(self.moved), merged_into__isnull=True)
            .exclude(Exists(SourceRecordOfficial.objects.filter(official=OuterRef("pk"))))
            .exclude(Exists(ArticleOfficial.objects.filter(official=OuterRef("pk"))))
            .exclude(Exists(Statement.objects.filter(speaker=OuterRef("pk"))))
            .exclude(Exists(Visit.visitors.through.objects.filter(official=OuterRef("pk"))))
            .exclude(Exists(Visit.hosts.through.objects.filter(official=OuterRef("pk"))))
            .exclude(Exists(Meeting.participants.through.objects.filter(official=OuterRef("pk"))))
        )
        for official in named:
            target, _ = self.moved[official.pk].most_common(1)[0]
            if target != official.pk:
                Official.objects.filter(pk=official.pk).update(merged_into=target)
                self.merged_into[official.pk] = target
                retired.append(official.pk)
        return retired
