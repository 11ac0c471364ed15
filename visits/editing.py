"""Editors' writes in the admin: edit marks, re-anchoring, and the refresh every edit ends in.

The admin runs each view that can write (change, add, delete, bulk actions,
history revert) inside `edits()`, and tells it about every record it is
about to change and has changed; before the view's transaction commits, the
visits those records touched, before and after, are refreshed
(`visits.refresh`), whichever path wrote them. No HTTP or form code here, so the rules
stay testable on their own and the same as the loader's.
"""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from .models import Article, Meeting, Mention, Official, Statement, Topic, Visit, VisitOfficial, VisitReport
from .refresh import refresh
from .spans import nearest_occurrence


def mark_edited(obj):
    """Record that an editor changed this record, so re-loading its article keeps the change."""
    if hasattr(obj, "edited_at"):
        obj.edited_at = timezone.now()


def visits_affected_by(obj):
    """Return the ids of the visits whose united values or lookup rows may change when `obj` changes."""
    if obj.pk is None:
        return set()
    if isinstance(obj, Visit):
        return {obj.pk}
    if isinstance(obj, Meeting | Statement | VisitReport):
        return set(type(obj).objects.filter(pk=obj.pk).values_list("visit_id", flat=True)) | {obj.visit_id}
    if isinstance(obj, Article):
        return set(VisitReport.objects.filter(article=obj).values_list("visit_id", flat=True))
    if isinstance(obj, Official):
        return set(VisitOfficial.objects.filter(official=obj).values_list("visit_id", flat=True)) | set(
            Visit.visitors.through.objects.filter(official=obj).values_list("visit_id", flat=True)
        )
    return set()


# How many of each kind of reference a refusal to delete lists before "and N more".
REFERENCES_SHOWN = 5


def references_to(official):
    """Return what would lose `official` if they were deleted (visits, meetings, articles), as phrases.

    An official named anywhere is not deleted: every visit, meeting and
    article that names them would be rewritten without them (a visit with no
    visitor left). Statements and dataset records protect their people in the
    database already, and the admin lists those itself. Merge or rename the
    official instead.
    """
    kinds = [
        ("visit", "as visitor", Visit.objects.filter(visitors=official), "slug"),
        ("visit", "as host", Visit.objects.filter(hosts=official), "slug"),
        ("meeting", "as participant, during", Meeting.objects.filter(participants=official), "visit__slug"),
        ("article", "naming them", Article.objects.filter(official_entries__official=official), "slug"),
    ]
    phrases = []
    for noun, role, queryset, label in kinds:
        labels = list(queryset.order_by(label).values_list(label, flat=True)[: REFERENCES_SHOWN + 1])
        if labels:
            total = queryset.count() if len(labels) > REFERENCES_SHOWN else len(labels)
            shown = ", ".join(map(str, labels[:REFERENCES_SHOWN])) + (
                f" and {total - REFERENCES_SHOWN} more" if total > REFERENCES_SHOWN else ""
            )
            phrases.append(f"{official}: {total} {noun}{'s' if total != 1 else ''} {role} ({shown})")
    return phrases


class Edits:
    """The visits one admin request's writes touch, to refresh once at its end."""

    def __init__(self):
        self.visit_ids = set()
        self.official_ids = set()
        self.topic_tree_changed = False

    def touch(self, obj):
        """Note the visits `obj` touches now; call before a change or delete, and after a change."""
        self.visit_ids |= visits_affected_by(obj)
        self.topic_tree_changed |= isinstance(obj, Topic)
        if isinstance(obj, Official) and obj.pk is not None:
            self.official_ids.add(obj.pk)

    def refresh(self):
        if self.visit_ids or self.official_ids or self.topic_tree_changed:
            existing = Visit.objects.filter(pk__in=self.visit_ids).values_list("pk", flat=True)
            officials = Official.objects.filter(pk__in=self.official_ids).values_list("pk", flat=True)
            refresh(existing, topic_tree_changed=self.topic_tree_changed, officials=officials)


@contextmanager
def edits():
    """Run an admin view's writes in one transaction that ends, before it commits, in their refresh."""
    collected = Edits()
    with transaction.atomic():
        yield collected
        collected.refresh()


def moved_spans(article, new_text):
    """Return ({(model, pk): (start, end)}, [problems]) for the article's spans in `new_text`.

    Each span's old text must still occur in the new text; the occurrence
    nearest to its old place is taken. A span whose text is gone is a problem.
    """
    old_text = article.text
    moves, problems = {}, []
    spans = [
        (Statement, s.pk, s.start, s.end, f"statement by {s.speaker}")
        for s in article.statements.select_related("speaker")
    ]
    spans += [
        (Meeting, m.pk, m.evidence_start, m.evidence_end, "meeting evidence")
        for m in article.meetings.exclude(evidence_start=None)
    ]
    spans += [
        (VisitReport, r.pk, r.evidence_start, r.evidence_end, f"evidence of visit {r.visit_id}")
        for r in article.visit_reports.exclude(evidence_start=None)
    ]
    spans += [(Mention, m.pk, m.start, m.end, "mention") for m in article.mentions.all()]
    for model, pk, start, end, what in spans:
        fragment = old_text[start:end]
        nearest = nearest_occurrence(new_text, fragment, start)
        if nearest is None:
            problems.append(f"The {what} {fragment[:60]!r} is no longer in the text.")
            continue
        moves[(model, pk)] = (nearest, nearest + len(fragment))
    return moves, problems


def apply_moved_spans(moves):
    """Store new offsets computed by `moved_spans`."""
    fields = {
        Statement: ("start", "end"),
        Meeting: ("evidence_start", "evidence_end"),
        VisitReport: ("evidence_start", "evidence_end"),
    }
    for (model, pk), (start, end) in moves.items():
        start_field, end_field = fields.get(model, ("start", "end"))
        model.objects.filter(pk=pk).update(**{start_field: start, end_field: end})
