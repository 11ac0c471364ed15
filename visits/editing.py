"""What follows an editor's change in the admin: marks, re-anchoring, lookup tables.

The admin calls these; they hold no HTTP or form code, so the rules stay
testable on their own and the same as the loader's.
"""

from django.utils import timezone

from .indexing import reindex_all, reindex_visits
from .loading.text import occurrences
from .models import Article, Meeting, Official, Statement, Topic, Visit, VisitReport


def mark_edited(obj):
    """Record that an editor changed this record, so re-loading its article keeps the change."""
    if hasattr(obj, "edited_at"):
        obj.edited_at = timezone.now()


def visits_affected_by(obj):
    """Return the ids of the visits whose lookup rows may change when `obj` changes."""
    if isinstance(obj, Visit):
        return {obj.pk} if obj.pk else set()
    if isinstance(obj, Meeting | Statement | VisitReport):
        return {obj.visit_id} if obj.visit_id else set()
    if isinstance(obj, Article):
        return set(VisitReport.objects.filter(article=obj).values_list("visit_id", flat=True))
    if isinstance(obj, Official):
        from .models import VisitOfficial

        return set(VisitOfficial.objects.filter(official=obj).values_list("visit_id", flat=True)) | set(
            Visit.visitors.through.objects.filter(official=obj).values_list("visit_id", flat=True)
        )
    return set()


def refresh_after_edit(obj, before=()):
    """Rebuild the lookup rows touched by an edit of `obj` (`before`: visits it touched before)."""
    if isinstance(obj, Topic):
        reindex_all()  # a topic's place in the tree changes every visit's ancestor rows
        return
    ids = set(before) | visits_affected_by(obj)
    existing = set(Visit.objects.filter(pk__in=ids).values_list("pk", flat=True))
    reindex_visits(existing)


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
    from .models import Mention

    spans += [(Mention, m.pk, m.start, m.end, "mention") for m in article.mentions.all()]
    for model, pk, start, end, what in spans:
        fragment = old_text[start:end]
        found = occurrences(new_text, fragment)
        if not found:
            problems.append(f"The {what} {fragment[:60]!r} is no longer in the text.")
            continue
        nearest = min(found, key=lambda s: abs(s - start))
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
