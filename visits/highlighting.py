"""Render an article's text with its statements, evidence and mentions marked up.

The text is cut at every span boundary into segments; each segment is
escaped on its own and wrapped in the elements of the spans that cover it.
Spans may nest or overlap (a direct quote inside reported speech), so one
span can cover several segments: every segment carries the span's id in a
data attribute, and the first carries the HTML id that links point to.
All markup is built with format_html; no text is ever marked safe unescaped.
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class Span:
    def __init__(self, start, end, kind, anchor, target=None, title=""):
        self.start, self.end, self.kind, self.anchor, self.target, self.title = start, end, kind, anchor, target, title


def article_spans(statements, mentions, reports, meetings):
    """Return the Spans of an article: statements, evidence of visits and meetings, mentions."""
    spans = [
        Span(s.start, s.end, f"statement statement-{s.kind}", f"statement-{s.pk}", title=f"{s.speaker.name}")
        for s in statements
    ]
    spans += [
        Span(r.evidence_start, r.evidence_end, "evidence", f"report-{r.pk}", title=f"Visit: {r.visit.slug}")
        for r in reports
        if r.evidence_start is not None
    ]
    spans += [
        Span(m.evidence_start, m.evidence_end, "evidence", f"meeting-evidence-{m.pk}", title="Meeting")
        for m in meetings
        if m.evidence_start is not None
    ]
    spans += [
        Span(
            m.start,
            m.end,
            "mention",
            f"mention-{m.pk}",
            target=(m.official or m.topic).get_absolute_url(),
            title=str(m.official or m.topic),
        )
        for m in mentions
    ]
    return spans


def highlight(text, spans):
    """Return `text` as safe HTML with each span marked; offsets are Python string indices."""
    length = len(text)
    spans = [s for s in spans if 0 <= s.start < s.end <= length]
    cuts = sorted({0, length, *(s.start for s in spans), *(s.end for s in spans)})
    started = set()
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = sorted(
            (s for s in spans if s.start <= start and end <= s.end),
            key=lambda s: (s.kind == "mention", s.start, -s.end),
        )
        html = conditional_escape(text[start:end])
        for span in reversed(covering):
            first = span.anchor not in started
            started.add(span.anchor)
            html = wrap(span, html, first)
        pieces.append(html)
    return mark_safe("".join(str(piece) for piece in pieces))  # noqa: S308 - every piece is escaped above


def wrap(span, inner, first):
    if span.kind == "mention":
        return format_html('<a class="mention" href="{}" title="{}">{}</a>', span.target, span.title, inner)
    if first:
        return format_html(
            '<mark class="{}" id="{}" data-span="{}" title="{}">{}</mark>',
            span.kind,
            span.anchor,
            span.anchor,
            span.title,
            inner,
        )
    return format_html(
        '<mark class="{}" data-span="{}" title="{}">{}</mark>', span.kind, span.anchor, span.title, inner
    )


def highlight_article(text, statements, mentions, reports, meetings):
    return highlight(text, article_spans(statements, mentions, reports, meetings))
