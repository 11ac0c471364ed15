"""The admin's forms: the loader's rules on every field, and no silent overwrite of another editor's change.

Every form here derives from `GuardedForm`: it carries, in a hidden field,
a digest of the record as it was when the form was opened, and a save is
refused when the record changed since (another editor, a re-load, a
re-import: whoever wrote it). Inline forms carry their own. Records
anchored to the article text (statements, mentions) are `SpanForm`s: their
words are anchored by `rules.span_problem`, and unchanged words keep the
occurrence they point at.
"""

import hashlib

from django import forms
from django.forms.models import model_to_dict
from django_countries import countries

from . import editing, rules, spans
from .models import Article, Mention, SourceRecordOfficial, Statement, Visit

CHANGED_SINCE_OPENED = (
    "This record was changed (by another editor or an import) since you opened it: your save would undo that "
    "change. Open it again to see the current values, then make your change."
)


def state_digest(model, pk, fields):
    """Return a digest of the stored values of `fields` of one row (many-to-many as sorted ids), or "" if gone."""
    instance = model._default_manager.filter(pk=pk).first()
    if instance is None:
        return ""
    values = model_to_dict(instance, fields=fields)
    state = sorted(
        (name, sorted(o.pk for o in value) if isinstance(value, list) and value and hasattr(value[0], "pk") else value)
        for name, value in values.items()
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


class GuardedForm(forms.ModelForm):
    """A model form that refuses to save over a change made since it was opened (optimistic concurrency)."""

    opened_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_state"].initial = self.stored_state()

    def guarded_fields(self):
        """The stored fields a save would write: the model fields the form class was made with.

        From the class, not `self.fields`: an inline formset adds its
        foreign key to the form after the form is made, so `self.fields`
        differs between opening the form and saving it.
        """
        names = {field.name for field in self._meta.model._meta.get_fields()}
        return [name for name in self._meta.fields or () if name in names]

    def stored_state(self):
        return state_digest(self._meta.model, self.instance.pk, self.guarded_fields())

    def clean(self):
        data = super().clean()
        # Judged on the row as stored now, not on the instance the request read at its start.
        if self.instance.pk is not None and data.get("opened_state") != self.stored_state():
            raise forms.ValidationError(CHANGED_SINCE_OPENED, code="changed")
        return data


class LinesField(forms.CharField):
    """A list of strings edited as one per line (a visit's places)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class SpanForm(GuardedForm):
    """A record anchored to a span of its article's text: its words, and which occurrence when they repeat.

    Subclasses name the field that holds the words (`words_field`) and the
    article they are in (`article_of`).
    """

    words_field = "quote"
    occurrence = forms.IntegerField(
        required=False, min_value=1, help_text="Which match of the words, when they occur more than once in the text."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.instance.article if self.instance.article_id else None
        if self.instance.pk is not None and article is not None:
            # What the record points at now, so that the form posted back unchanged anchors the same span.
            self.initial.setdefault(self.words_field, article.text[self.instance.start : self.instance.end])
            self.initial["occurrence"] = spans.occurrence_of(article.text, self.instance.start, self.instance.end)

    def guarded_fields(self):
        return [*super().guarded_fields(), "start", "end"]  # the span the words stand for

    def article_of(self, data):
        return self.instance.article if self.instance.article_id else None

    def anchor(self, data):
        """Set the instance's span from the words and occurrence given; return (start, end) or None."""
        article, words, occurrence = self.article_of(data), data.get(self.words_field), data.get("occurrence")
        if not (article and words):
            return None
        current = (self.instance.start, self.instance.end) if self.instance.pk is not None else None
        unchanged = current and article.text[current[0] : current[1]] == words
        if unchanged and occurrence in (None, spans.occurrence_of(article.text, *current)):
            return current  # the same words at the same place
        start, end, problem = rules.span_problem(article.text, words, occurrence)
        if problem:
            self.add_error(self.words_field, problem)
            return None
        self.instance.start, self.instance.end = start, end
        return start, end


class StatementForm(SpanForm):
    quote = forms.CharField(widget=forms.Textarea, strip=False)  # verbatim: the loader keeps every space

    class Meta:
        model = Statement
        fields = ["article", "visit", "meeting", "speaker", "kind", "quote", "occurrence", "topics"]

    def article_of(self, data):
        return data.get("article") or super().article_of(data)

    def clean(self):
        data = super().clean()
        self.anchor(data)
        meeting, visit = data.get("meeting"), data.get("visit")
        if meeting and visit and meeting.visit_id != visit.pk:
            self.add_error("meeting", "this meeting belongs to another visit")
        return data


class MentionForm(SpanForm):
    words_field = "phrase"
    phrase = forms.CharField(help_text="The words as they appear in the text.", strip=False)

    class Meta:
        model = Mention
        fields = ["official", "topic", "phrase", "occurrence"]

    def clean(self):
        data = super().clean()
        if bool(data.get("official")) == bool(data.get("topic")):
            raise forms.ValidationError("a mention names exactly one official or one topic")
        span = self.anchor(data)
        if span:
            others = self.instance.article.mentions.filter(start__lt=span[1], end__gt=span[0])
            if others.exclude(pk=self.instance.pk).exists():
                self.add_error("phrase", "this overlaps another mention; mentions never overlap")
        return data


class VisitForm(GuardedForm):
    places = LinesField(required=False, help_text="One place per line.")

    class Meta:
        model = Visit
        fields = ["slug", "host_country", "start", "end", "places", "summary", "visitors", "hosts", "topics"]


class ArticleForm(GuardedForm):
    url = forms.CharField(required=False, max_length=rules.URL_MAX_LENGTH, strip=True)
    # The text exactly as published: stripping its last line break would move nothing but change it.
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20, "cols": 100}), strip=False)

    class Meta:
        model = Article
        fields = ["slug", "title", "url", "publisher", "author", "published", "language", "text"]

    def clean_text(self):
        text = self.cleaned_data["text"]
        if self.instance.pk and text != self.instance.text:
            self.moves, problems = editing.moved_spans(self.instance, text)
            if problems:
                raise forms.ValidationError(problems + ["Change or delete those records first, or keep their words."])
        return text

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and (message := rules.url_problem(url)):
            raise forms.ValidationError(message)
        return url or None  # several articles may have no url; "" would collide


class SplitForm(forms.Form):
    """What an editor moves from an official to a new person (visits.curation.merging.split)."""

    name = forms.CharField(max_length=200, help_text="The new person's name.")
    slug = forms.CharField(
        max_length=200,
        required=False,
        help_text="Their address; empty: made from the name.",
        validators=[rules.validate_slug],
    )
    country = forms.ChoiceField(required=False, help_text="Empty: the official's country.")
    visits = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, help_text="Everything of these visits moves."
    )
    records = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    statements = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, official, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------"), *countries]
        visits = Visit.objects.filter(official_links__official=official).order_by("start", "slug")
        self.fields["visits"].choices = [(v.pk, f"{v.slug} ({v.start}, {v.host_country.name})") for v in visits]
        entries = SourceRecordOfficial.objects.filter(official=official).select_related("record")
        self.fields["records"].choices = [
            (e.record_id, f"{e.record} ({e.record.start_text}): {e.record.name}")
            for e in entries.order_by("record__start", "record__record_id")
        ]
        statements = Statement.objects.filter(speaker=official).select_related("article").defer("article__text")
        self.fields["statements"].choices = [
            (s.pk, f"{s.article.published}: {s.quote[:100]}")
            for s in statements.order_by("article__published", "start")
        ]

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("visits") or cleaned.get("records") or cleaned.get("statements")):
            raise forms.ValidationError("Choose at least one visit, record or statement for the new person.")
        return cleaned
