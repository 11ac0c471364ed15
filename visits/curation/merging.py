"""Merge two officials into one, undo it, or split one in two: an editor's judgement, applied and kept.

`merge(merged, kept)` moves everything that names `merged` to `kept`:
visits made and hosted, every article's report of them, meeting
participants, statements, mentions, the articles' and dataset records'
entries for them, identity keys and dataset identifiers, and the officials
merged into them before. Where `kept` is already there (both visited, both
are in one record), the row of `merged` is dropped rather than moved,
because the constraints allow one per person. `merged` keeps its row, with
`merged_into` set: its address leads to `kept` (visits.addresses). A
`Merge` records what moved and what was dropped, and `undo(merge)` puts back
exactly that. The merge is also a "same" IdentityJudgement between the two
people's keys, so that every later import and load (visits.identity) makes
one page of them again; undoing it takes the judgement back.

`split(official, visits=, records=, statements=)` makes a new official of
the chosen rows. The new person's records are judged "same" as the new
person's own key, and the two people "different", so a re-import neither
puts the records back nor joins the two again. Statements moved are marked
edited, as an editor's change of speaker in the admin is: re-loading their
article is refused rather than silently undoing the split.

Each ends, in its transaction, in `visits.refresh`: the visits it touched
are united and reindexed, the two officials' names and review notes
rewritten, the cache version renewed. Changes of officials and statements
are recorded in their history, with the editor's name.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..bulk import insert_history
from ..editing import visits_affected_by
from ..identity.keys import in_precedence, official_key, record_key
from ..models import (
    ArticleOfficial,
    DuplicateCandidate,
    IdentityJudgement,
    IdentityKey,
    Meeting,
    Mention,
    Merge,
    Official,
    OfficialIdentifier,
    SourceRecordOfficial,
    Statement,
    Visit,
    VisitReport,
)
from ..names import official_slug
from ..refresh import refresh

# Many-to-many lists of officials, by the name a Merge records them under.
LISTS = {
    "visit_visitors": Visit.visitors,
    "visit_hosts": Visit.hosts,
    "report_visitors": VisitReport.visitors,
    "report_hosts": VisitReport.hosts,
    "meeting_participants": Meeting.participants,
}
# Rows that name an official once each, whatever else they name.
POINTERS = {
    "statements": (Statement, "speaker"),
    "mentions": (Mention, "official"),
    "identity_keys": (IdentityKey, "official"),
    "identifiers": (OfficialIdentifier, "official"),
    "merged_officials": (Official, "merged_into"),
}
# Rows that name an official at most once per parent (a unique constraint): moved, or dropped where both are.
ENTRIES = {
    "article_entries": (ArticleOfficial, "article"),
    "record_entries": (SourceRecordOfficial, "record"),
}
# What a Merge records as moved, in the order it is shown.
MOVED = [*LISTS, *POINTERS, *ENTRIES]
REASON_LENGTH = 100  # django-simple-history's history_change_reason


class CurationError(Exception):
    """A merge, undo or split that cannot be done as asked; the message says why."""


def reason(text):
    return text[:REASON_LENGTH]


def list_columns(descriptor):
    """Return (through model, owner column, official column) of a many-to-many list of officials."""
    field = descriptor.field
    return descriptor.through, f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


def identity_key(official):
    """Return (the key a judgement names `official` by, whether it was created now).

    The most specific key the sources name them by (visits.identity.keys);
    an official no source names by a key (made in the admin) gets
    `official:<slug>`, the key an article naming their slug would give.
    """
    keys = in_precedence(IdentityKey.objects.filter(official=official).values_list("key", flat=True))
    if keys:
        return keys[0], False
    key = official_key(official.slug)
    _, created = IdentityKey.objects.get_or_create(key=key, defaults={"official": official})
    return key, created


def judge(left, right, verdict, *, user=None, note=""):
    """Record `verdict` on the keys `left` and `right`; return (judgement, what it replaced or None)."""
    judgement = IdentityJudgement.objects.filter(Q(left=left, right=right) | Q(left=right, right=left)).first()
    before = None
    if judgement is None:
        judgement = IdentityJudgement(left=left, right=right)
    else:
        before = {"verdict": judgement.verdict, "note": judgement.note, "decided_by": judgement.decided_by_id}
    judgement.verdict, judgement.note, judgement.decided_by = verdict, note, user
    judgement.save()
    return judgement, before


def save_with_history(official, user, text):
    official._history_user = user
    official._change_reason = reason(text)
    official.save()


def locked(*officials):
    """Return the officials re-read under a row lock, in the order given (two editors never cross)."""
    found = Official.objects.select_for_update().in_bulk([o.pk for o in officials])
    return [found[o.pk] for o in officials]


# Merging --------------------------------------------------------------------------------


def merge(merged, kept, *, user=None, note=""):
    """Merge the official `merged` into `kept`; return the Merge that records it (see the module docstring)."""
    if merged.pk == kept.pk:
        raise CurationError("An official cannot be merged into themselves.")
    with transaction.atomic():
        merged, kept = locked(merged, kept)
        for official in (merged, kept):
            if official.merged_into_id is not None:
                raise CurationError(f"{official} was merged into another person already.")
        visit_ids = visits_affected_by(merged)
        moved = {}
        kept_key, kept_created = identity_key(kept)
        merged_key, merged_created = identity_key(merged)
        moved["keys_created"] = [
            k for k, created in ((kept_key, kept_created), (merged_key, merged_created)) if created
        ]
        judgement, before = judge(kept_key, merged_key, IdentityJudgement.Verdict.SAME, user=user, note=note)
        moved["judgement"] = {"id": judgement.pk, "before": before}
        for name, descriptor in LISTS.items():
            through, owner, person = list_columns(descriptor)
            owners = set(through.objects.filter(**{person: merged.pk}).values_list(owner, flat=True))
            both = set(
                through.objects.filter(**{person: kept.pk, f"{owner}__in": owners}).values_list(owner, flat=True)
            )
            rows = through.objects.filter(**{person: merged.pk})
            rows.filter(**{f"{owner}__in": both}).delete()
            rows.update(**{person: kept.pk})
            moved[name] = {"moved": sorted(owners - both), "shared": sorted(both)}
        for name, (model, column) in POINTERS.items():
            pks = sorted(model.objects.filter(**{column: merged.pk}).values_list("pk", flat=True))
            model.objects.filter(pk__in=pks).update(**{column: kept.pk})
            moved[name] = pks
        for name, (model, parent) in ENTRIES.items():
            rows = model.objects.filter(official=merged)
            shared = rows.filter(**{f"{parent}__in": model.objects.filter(official=kept).values(parent)})
            dropped = [plain(row) for row in shared.order_by("pk").values()]
            shared.delete()
            pks = sorted(rows.values_list("pk", flat=True))
            rows.update(official=kept)
            moved[name] = {"moved": pks, "dropped": dropped}
        statements = list(Statement.objects.filter(pk__in=moved["statements"]))
        insert_history(Statement, statements, "~", reason(f"Speaker merged into {kept.slug}"))
        merged.merged_into = kept
        save_with_history(merged, user, f"Merged into {kept.slug}")
        record = Merge.objects.create(kept=kept, merged=merged, judgement=judgement, moved=moved, decided_by=user)
        # The queue is derived (candidates.find): a merged person leaves it.
        DuplicateCandidate.objects.filter(Q(left=merged) | Q(right=merged)).delete()
        refresh(
            visit_ids,
            officials={merged.pk, kept.pk, *moved["merged_officials"]},
            reason=reason(f"{merged.slug} merged into {kept.slug}"),
        )
    return record


def plain(row):
    """Return a row's values as JSON keeps them (a country as its code)."""
    return {key: value if isinstance(value, str | int | float | bool | list | dict | type(None)) else str(value)
            for key, value in row.items()}  # fmt: skip


def undo(merge_record, *, user=None):
    """Put back what `merge_record` moved and dropped, take back its judgement; return the Merge, marked undone."""
    with transaction.atomic():
        record = Merge.objects.select_for_update().get(pk=merge_record.pk)
        if record.undone_at is not None:
            raise CurationError("This merge was undone already.")
        merged, kept = locked(record.merged, record.kept)
        if kept.merged_into_id is not None:
            raise CurationError(f"{kept} was merged into another person since: undo that merge first.")
        if merged.merged_into_id != kept.pk:
            raise CurationError(f"{merged} is no longer merged into {kept}.")
        moved = record.moved
        visit_ids = visits_affected_by(kept)
        for name, descriptor in LISTS.items():
            through, owner, person = list_columns(descriptor)
            done = moved.get(name, {})
            back = set(done.get("moved", []))
            present = set(
                through.objects.filter(
                    **{person: merged.pk, f"{owner}__in": back | set(done.get("shared", []))}
                ).values_list(owner, flat=True)
            )
            rows = through.objects.filter(**{person: kept.pk, f"{owner}__in": back})
            rows.filter(**{f"{owner}__in": present}).delete()
            rows.update(**{person: merged.pk})
            owner_model = descriptor.field.model
            owners = set(owner_model.objects.filter(pk__in=done.get("shared", [])).values_list("pk", flat=True))
            through.objects.bulk_create([through(**{owner: pk, person: merged.pk}) for pk in sorted(owners - present)])
        for name, (model, column) in POINTERS.items():
            model.objects.filter(pk__in=moved.get(name, []), **{column: kept.pk}).update(**{column: merged.pk})
        for name, (model, parent) in ENTRIES.items():
            done = moved.get(name, {})
            taken = model.objects.filter(official=merged).values(parent)
            model.objects.filter(pk__in=done.get("moved", []), official=kept).exclude(
                **{f"{parent}__in": taken}
            ).update(official=merged)
            parents = {row[f"{parent}_id"] for row in done.get("dropped", [])}
            existing = set(
                model._meta.get_field(parent).related_model.objects.filter(pk__in=parents).values_list("pk", flat=True)
            )
            taken = set(model.objects.filter(official=merged).values_list(f"{parent}_id", flat=True))
            model.objects.bulk_create(
                [
                    model(**row)
                    for row in done.get("dropped", [])
                    if row[f"{parent}_id"] in existing and row[f"{parent}_id"] not in taken
                ]
            )
        statements = list(Statement.objects.filter(pk__in=moved.get("statements", []), speaker=merged))
        insert_history(Statement, statements, "~", reason(f"Merge into {kept.slug} undone"))
        IdentityKey.objects.filter(key__in=moved.get("keys_created", [])).delete()
        judgement = moved.get("judgement") or {}
        before = judgement.get("before")
        if before is None:
            IdentityJudgement.objects.filter(pk=judgement.get("id")).delete()
        else:
            IdentityJudgement.objects.filter(pk=judgement.get("id")).update(
                verdict=before["verdict"], note=before["note"], decided_by_id=before["decided_by"]
            )
        merged.merged_into = None
        save_with_history(merged, user, f"Merge into {kept.slug} undone")
        record.undone_at = timezone.now()
        record.save(update_fields=["undone_at"])
        visit_ids |= visits_affected_by(merged)
        refresh(
            visit_ids,
            officials={merged.pk, kept.pk, *moved.get("merged_officials", [])},
            reason=reason(f"merge of {merged.slug} into {kept.slug} undone"),
        )
    return record


# Splitting ------------------------------------------------------------------------------


def free_slug(base):
    """Return `base`, or `base-2`, `base-3`, ...: the first no official has."""
    taken = set(Official.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def split(official, *, visits=(), records=(), statements=(), name="", slug="", country="", user=None, note=""):
    """Make a new official of the chosen rows of `official`; return the new official.

    `visits`: ids of visits whose every mention of the official moves (as
    visitor, host, participant, speaker, in the visit's records).
    `records`: ids of SourceRecords whose entry for the official moves.
    `statements`: ids of statements whose speaker moves.
    `name`, `slug`, `country`: the new person's (by default the official's
    name and country, and a free slug made of the name).
    """
    visit_ids, record_ids, statement_ids = set(visits), set(records), set(statements)
    if not (visit_ids or record_ids or statement_ids):
        raise CurationError("Choose at least one visit, record or statement for the new person.")
    with transaction.atomic():
        (official,) = locked(official)
        if official.merged_into_id is not None:
            raise CurationError(f"{official} was merged into another person: split that person instead.")
        name = name or official.name
        new = Official(name=name, country=country or official.country, slug=free_slug(slug or official_slug(name)))
        new.full_clean()
        save_with_history(new, user, f"Split from {official.slug}")
        touched_visits, touched_articles = set(), set()
        for descriptor, within in (
            (Visit.visitors, "visit_id__in"),
            (Visit.hosts, "visit_id__in"),
            (VisitReport.visitors, "visitreport__visit_id__in"),
            (VisitReport.hosts, "visitreport__visit_id__in"),
            (Meeting.participants, "meeting__visit_id__in"),
        ):
            through, _, person = list_columns(descriptor)
            rows = through.objects.filter(**{person: official.pk, within: visit_ids})
            touched_visits |= visit_ids & set(rows.values_list(within.removesuffix("_id__in") + "_id", flat=True))
            if descriptor.field.model is not Visit:
                parent = descriptor.field.model.objects.filter(pk__in=rows.values(descriptor.field.m2m_field_name()))
                touched_articles |= set(parent.values_list("article_id", flat=True))
            rows.update(**{person: new.pk})
        moved_statements = list(
            Statement.objects.filter(speaker=official).filter(Q(visit_id__in=visit_ids) | Q(pk__in=statement_ids))
        )
        now = timezone.now()
        for statement in moved_statements:
            statement.speaker, statement.edited_at = new, now
            touched_visits.add(statement.visit_id)
            touched_articles.add(statement.article_id)
        Statement.objects.bulk_update(moved_statements, ["speaker", "edited_at"])
        insert_history(Statement, moved_statements, "~", reason(f"Speaker split from {official.slug}"))
        entries = list(
            SourceRecordOfficial.objects.filter(official=official)
            .filter(Q(record__visit_id__in=visit_ids) | Q(record_id__in=record_ids))
            .select_related("record")
        )
        SourceRecordOfficial.objects.filter(pk__in=[e.pk for e in entries]).update(official=new)
        touched_visits |= {entry.record.visit_id for entry in entries}
        split_article_entries(official, new, touched_articles)
        new_key = official_key(new.slug)
        IdentityKey.objects.update_or_create(key=new_key, defaults={"official": new})
        old_key, _ = identity_key(official)
        judge(old_key, new_key, IdentityJudgement.Verdict.DIFFERENT, user=user, note=note)
        for entry in entries:
            key = record_key(entry.record.dataset, entry.record.record_id, entry.position)
            judge(key, new_key, IdentityJudgement.Verdict.SAME, user=user, note=note)
        refresh(
            touched_visits, officials={official.pk, new.pk}, reason=reason(f"{new.slug} split from {official.slug}")
        )
    return new


def split_article_entries(official, new, article_ids):
    """Give `new` the article entries (office as written) of `official` in the articles their moved rows are in.

    Where the official is left with nothing in an article, their entry and
    the article's mentions of them go to the new person.
    """
    for entry in ArticleOfficial.objects.filter(official=official, article_id__in=article_ids):
        article = entry.article_id
        still_named = (
            Statement.objects.filter(article_id=article, speaker=official).exists()
            or VisitReport.objects.filter(article_id=article).filter(Q(visitors=official) | Q(hosts=official)).exists()
            or Meeting.objects.filter(article_id=article, participants=official).exists()
        )
        if still_named:
            ArticleOfficial.objects.create(
                article_id=article, official=new, role=entry.role, office_slug=entry.office_slug, country=entry.country
            )
        else:
            entry.official = new
            entry.save(update_fields=["official"])
            Mention.objects.filter(article_id=article, official=official).update(official=new)


# The review queue's verdicts --------------------------------------------------------------


def judge_candidate(candidate, verdict, *, keep="left", user=None, note=""):
    """Apply an editor's verdict on a queued pair; return the Merge for "same", else the IdentityJudgement.

    "same" merges the other person into the one on the side `keep` names;
    "different" and "unsure" are recorded between the two people's keys, so
    the pair is not queued again (visits.curation.candidates) and, for
    "different", never joined by an import. The pair leaves the queue.
    """
    left, right = candidate.left, candidate.right
    if verdict == IdentityJudgement.Verdict.SAME:
        kept, merged = (left, right) if keep == "left" else (right, left)
        return merge(merged, kept, user=user, note=note)
    if verdict not in (IdentityJudgement.Verdict.DIFFERENT, IdentityJudgement.Verdict.UNSURE):
        raise CurationError(f"{verdict!r} is not a verdict.")
    with transaction.atomic():
        left_key, _ = identity_key(left)
        right_key, _ = identity_key(right)
        judgement, _ = judge(left_key, right_key, verdict, user=user, note=note)
        DuplicateCandidate.objects.filter(pk=candidate.pk).delete()
    return judgement
