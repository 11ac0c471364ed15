"""The data model: articles (the evidence) and the entities they report.

Officials, topics and visits are global and keyed by slug; several articles
may describe the same one. Everything an article contributes on its own
(how it names people, the office it gives them, its report of a visit, its
meetings, statements and mentions) hangs off the Article, so that re-loading
or deleting an article replaces or removes exactly that.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from . import rules
from .queries import ArticleQuerySet, OfficialQuerySet, StatementQuerySet, TopicQuerySet, VisitQuerySet


def slug_format_constraint(model_name):
    return models.CheckConstraint(condition=Q(slug__regex=rules.SLUG_REGEX), name=f"{model_name}_slug_format")


def span_constraint(prefix, start="start", end="end", nullable=False):
    """Return a check that a text span is well formed: 0 <= start < end."""
    # The isnull conditions matter: with one side NULL the comparisons are
    # NULL, and SQL lets a CHECK that is NULL pass.
    condition = Q(**{f"{start}__isnull": False, f"{end}__isnull": False, f"{start}__gte": 0, f"{end}__gt": F(start)})
    if nullable:
        condition |= Q(**{f"{start}__isnull": True, f"{end}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"{prefix}_span_valid")


class SlugField(models.SlugField):
    """A slug as the format defines it (`rules.slug_problem`), with the loader's message in every form."""

    default_validators = [rules.validate_slug]


class SlugNaturalKeyManager(models.Manager):
    """Lets fixtures refer to rows by slug (`"parent": ["iran"]`)."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Article(models.Model):
    """A news report: the evidence every other fact points into."""

    # What loading an article's files sets (the loader and the demo's bulk writer write these columns).
    LOADED_FIELDS = [
        "slug",
        "url",
        "title",
        "publisher",
        "author",
        "published",
        "language",
        "text",
        "source_path",
        "source_digest",
    ]

    slug = SlugField(max_length=200, unique=True, help_text="The annotation file's stem.")
    url = models.URLField(max_length=500, null=True, blank=True)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published = models.DateField()
    language = models.CharField(max_length=16, default="en")
    text = models.TextField()
    source_path = models.CharField(
        max_length=500, blank=True, help_text="The annotation file this article was last loaded from."
    )
    source_digest = models.CharField(
        max_length=64, blank=True, help_text="Digest of the files last loaded, to skip unchanged re-loads."
    )
    loaded_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When an editor last changed it in the admin."
    )
    history = HistoricalRecords()

    officials = models.ManyToManyField("Official", through="ArticleOfficial", related_name="articles")
    topics = models.ManyToManyField(
        "Topic", through="ArticleTopic", through_fields=("article", "topic"), related_name="articles"
    )
    visits = models.ManyToManyField("Visit", through="VisitReport", related_name="articles")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "slug"]
        constraints = [
            slug_format_constraint("article"),
            models.UniqueConstraint(
                fields=["url"], condition=Q(url__isnull=False) & ~Q(url=""), name="article_url_unique"
            ),
        ]
        indexes = [models.Index(fields=["published"], name="article_published_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("visits:article-detail", kwargs={"slug": self.slug})


class Official(models.Model):
    """A person who holds or held an office (in one or more countries: see their positions)."""

    slug = SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=200)
    country = CountryField(db_index=True, help_text="The country the person is first known for.")
    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When an editor last changed it in the admin."
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_officials",
        editable=False,
        help_text="The person this official was found to be: their page now leads there.",
    )
    # Derived by visits.people.refresh_officials, which every write that touches an official ends in.
    sort_name = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    review_notes = models.JSONField(
        default=list, blank=True, editable=False, help_text="Why this identity may need an editor's look."
    )
    history = HistoricalRecords(excluded_fields=["sort_name", "review_notes"])

    objects = SlugNaturalKeyManager.from_queryset(OfficialQuerySet)()

    class Meta:
        ordering = ["sort_name", "name", "slug"]
        constraints = [
            slug_format_constraint("official"),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="official_not_merged_into_itself"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("visits:official-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Topic(models.Model):
    """A subject discussed, in a tree: `iran-nuclear-program` is under `iran`."""

    slug = SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(blank=True, help_text="The glossary entry shown on the topic's page.")
    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When an editor last changed it in the admin."
    )
    history = HistoricalRecords()

    objects = SlugNaturalKeyManager.from_queryset(TopicQuerySet)()

    class Meta:
        ordering = ["name", "slug"]
        constraints = [
            slug_format_constraint("topic"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="topic_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("visits:topic-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.pk:
            rows = list(Topic.objects.values_list("pk", "parent_id", "slug"))
            slugs = {pk: slug for pk, _, slug in rows} | {self.pk: self.slug}
            parent_of = {pk: parent_id for pk, parent_id, _ in rows}
            if message := rules.parent_cycle(self.pk, self.parent_id, parent_of, label=slugs.get):
                raise ValidationError({"parent": message})

    def natural_key(self):
        return (self.slug,)


class ArticleOfficial(models.Model):
    """How one article names an official, and the office (and its country) it says they held then."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="official_entries")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="article_entries")
    role = models.CharField(max_length=200, help_text="The office as the article writes it.")
    office_slug = models.SlugField(
        max_length=200, blank=True, help_text="The office in the vocabulary of visits.offices."
    )
    country = CountryField(help_text="The country whose office it is, as the article says.")
    mentions = models.JSONField(default=list)

    class Meta:
        ordering = ["article", "official"]
        constraints = [
            models.UniqueConstraint(fields=["article", "official"], name="article_official_unique"),
        ]
        indexes = [models.Index(fields=["office_slug", "official"], name="article_official_by_office")]

    def __str__(self):
        return f"{self.official} ({self.role}) in {self.article}"


class OfficialName(models.Model):
    """A name a person is known by, for search, suggestions and addresses (derived: visits.people)."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=300)
    folded = models.CharField(
        max_length=300, db_index=True, help_text="The name as searched (visits.names.search_form)."
    )
    slug = models.SlugField(max_length=300, db_index=True, help_text="The address this name would have.")

    class Meta:
        ordering = ["official", "name"]
        constraints = [models.UniqueConstraint(fields=["official", "folded"], name="official_name_unique")]

    def __str__(self):
        return self.name


class IdentityKey(models.Model):
    """A source's key for a person, and the official it resolved to (see visits.identity).

    `hsg-who:<id>`, `hsg-name:<country id>:<folded name>`,
    `hsg-record:<dataset>:<record id>:<position>`, `official:<slug>`.
    """

    key = models.CharField(max_length=300, unique=True)
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="identity_keys")

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key


class IdentityJudgement(models.Model):
    """An editor's word on whether two identities (by their keys) are one person."""

    class Verdict(models.TextChoices):
        SAME = "same", "Same person"
        DIFFERENT = "different", "Different people"
        UNSURE = "unsure", "Unsure"

    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    left = models.CharField(max_length=300)
    right = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="identity_judgement_unique"),
            models.CheckConstraint(
                condition=Q(verdict__in=["same", "different", "unsure"]), name="identity_verdict_valid"
            ),
        ]

    def __str__(self):
        return f"{self.left} {self.verdict} {self.right}"


class Merge(models.Model):
    """One official merged into another, with every row that moved, so that it can be undone."""

    kept = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="merges_kept")
    merged = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="merges_as_merged")
    judgement = models.ForeignKey(IdentityJudgement, null=True, blank=True, on_delete=models.SET_NULL)
    moved = models.JSONField(default=dict, help_text="{table: [[row id, ...]]}: what moved, and what was dropped.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "pk"]

    def __str__(self):
        return f"{self.merged} into {self.kept}"


class DuplicateCandidate(models.Model):
    """Two officials that may be one person: the review queue (visits.identity.candidates)."""

    left = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="How alike: 0 to 100.")
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["-score", "left", "right"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_candidate_unique"),
            models.CheckConstraint(condition=~Q(left=F("right")), name="duplicate_candidate_two_people"),
        ]

    def __str__(self):
        return f"{self.left} ~ {self.right} ({self.score:.0f})"


class ArticleTopic(models.Model):
    """How one article names a topic."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="topic_entries")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="article_entries")
    parent = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The parent topic as this article states it, if it does.",
    )
    mentions = models.JSONField(default=list)

    class Meta:
        ordering = ["article", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["article", "topic"], name="article_topic_unique"),
        ]

    def __str__(self):
        return f"{self.topic} in {self.article}"


class Visit(models.Model):
    """An official visit: who went where, when. Its lists unite every report of it."""

    slug = SlugField(max_length=200, unique=True)
    host_country = CountryField(db_index=True)
    start = models.DateField()
    end = models.DateField()
    places = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    visitors = models.ManyToManyField(Official, related_name="visits_made")
    hosts = models.ManyToManyField(Official, related_name="visits_hosted", blank=True)
    topics = models.ManyToManyField(Topic, related_name="visits", blank=True)
    search_document = models.TextField(
        blank=True, editable=False, help_text="Everything free-text search looks at; kept by visits.indexing."
    )
    # PostgreSQL only (SQLite searches search_document with LIKE): the stored
    # tsvector of search_document, GIN-indexed by migration 0009.
    search_vector = SearchVectorField(null=True, editable=False)
    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When an editor last changed it in the admin."
    )
    history = HistoricalRecords(
        m2m_fields=[visitors, hosts, topics], excluded_fields=["search_document", "search_vector"]
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-end", "slug"]
        constraints = [
            slug_format_constraint("visit"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="visit_end_not_before_start"),
        ]
        indexes = [
            models.Index(fields=["start", "end"], name="visit_dates_idx"),
            models.Index(fields=["end"], name="visit_end_idx"),
            # The list's order, and the id: a deep page finds its 25 ids by an index-only scan (views.paginate).
            models.Index(fields=["-start", "-end", "slug", "id"], name="visit_list_order_idx"),
        ]

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return reverse("visits:visit-detail", kwargs={"slug": self.slug})

    def clean(self):
        if message := rules.end_before_start(self.start, self.end):
            raise ValidationError({"end": message})


class VisitReport(models.Model):
    """One article's report of a visit: what that article says about it.

    The visit's own lists are the union of its reports, so re-loading or
    removing one article can take back exactly what it added.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="visit_reports")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="reports")
    host_country = CountryField(help_text="The host country as this article states it.")
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Empty when the article gives no end date.")
    places = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    visitors = models.ManyToManyField(Official, related_name="+")
    hosts = models.ManyToManyField(Official, related_name="+", blank=True)
    topics = models.ManyToManyField(Topic, related_name="+", blank=True)
    evidence_start = models.PositiveIntegerField(null=True, blank=True)
    evidence_end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["visit", "article"]
        constraints = [
            models.UniqueConstraint(fields=["article", "visit"], name="visit_report_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="visit_report_end_not_before_start"
            ),
            span_constraint("visit_report_evidence", "evidence_start", "evidence_end", nullable=True),
        ]

    def __str__(self):
        return f"{self.visit} in {self.article}"


class Meeting(models.Model):
    """A meeting held during a visit, as one article reports it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="meetings")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="meetings")
    position = models.PositiveIntegerField(default=0, help_text="Order within the article.")
    date = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    participants = models.ManyToManyField(Official, related_name="meetings")
    topics = models.ManyToManyField(Topic, related_name="meetings", blank=True)
    evidence_start = models.PositiveIntegerField(null=True, blank=True)
    evidence_end = models.PositiveIntegerField(null=True, blank=True)
    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When an editor last changed it in the admin."
    )
    history = HistoricalRecords(m2m_fields=[participants, topics])

    class Meta:
        ordering = ["visit", "date", "position", "pk"]
        constraints = [span_constraint("meeting_evidence", "evidence_start", "evidence_end", nullable=True)]
        indexes = [models.Index(fields=["date"], name="meeting_date_idx")]

    def __str__(self):
        where = f" at {self.place}" if self.place else ""
        return f"Meeting{where} ({self.date or self.visit.start})"

    def get_absolute_url(self):
        return self.visit.get_absolute_url() + f"#meeting-{self.pk}"

    def clean(self):
        if self.visit_id and (message := rules.date_outside_visit(self.date, self.visit.start, self.visit.end)):
            raise ValidationError({"date": message})


class Statement(models.Model):
    """What an official said, anchored to its span of the article text."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quotation"
        INDIRECT = "indirect", "Reported speech"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="statements")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="statements")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="statements")
    speaker = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.DIRECT)
    quote = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    topics = models.ManyToManyField(Topic, related_name="statements", blank=True)
    edited_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When an editor last changed it in the admin."
    )
    history = HistoricalRecords(m2m_fields=[topics])

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "pk"]
        constraints = [
            span_constraint("statement"),
            models.CheckConstraint(condition=Q(kind__in=["direct", "indirect"]), name="statement_kind_valid"),
        ]
        indexes = [models.Index(fields=["speaker", "article"], name="statement_speaker_idx")]

    def __str__(self):
        return f"{self.speaker}: {self.quote[:60]}"

    def get_absolute_url(self):
        return self.article.get_absolute_url() + f"#statement-{self.pk}"

    def anchor_quote(self, occurrence=None):
        """Set start and end from the quote's place in the article text (the loader's rule)."""
        if occurrence is None and self.start is not None and self.article.text[self.start : self.end] == self.quote:
            return  # already anchored; keep the occurrence it points at
        start, end, problem = rules.span_problem(self.article.text, self.quote, occurrence)
        if problem:
            raise ValidationError({"quote": problem})
        self.start, self.end = start, end

    def clean(self):
        if self.article_id and self.quote:
            self.anchor_quote()


class Mention(models.Model):
    """A place in the article text that names an official or a topic."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    official = models.ForeignKey(Official, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            span_constraint("mention"),
            models.CheckConstraint(
                condition=(
                    Q(official__isnull=False, topic__isnull=True) | Q(official__isnull=True, topic__isnull=False)
                ),
                name="mention_names_one_entity",
            ),
            models.UniqueConstraint(fields=["article", "start"], name="mention_start_unique"),
        ]

    def __str__(self):
        return f"{self.official or self.topic} at {self.start}-{self.end}"


# Lookup tables for filters and facet counts -----------------------------------
#
# Derived from the rows above by `visits.indexing.reindex_visits`, which every
# write reaches through `visits.refresh`. They turn "any
# visitor, host, participant or speaker" and "this topic or any below it"
# into one indexed join, and make facet counts exact without DISTINCT.


class VisitOfficial(models.Model):
    """An official a visit involves: visitor, host, meeting participant or speaker."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="official_links")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="visit_links")

    class Meta:
        ordering = ["visit", "official"]
        constraints = [models.UniqueConstraint(fields=["visit", "official"], name="visit_official_unique")]
        indexes = [models.Index(fields=["official", "visit"], name="visit_official_by_official")]

    def __str__(self):
        return f"{self.official} in {self.visit}"


class VisitTopic(models.Model):
    """A topic a visit touches (its own, a meeting's or a statement's), or an ancestor of one."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="visit_links")

    class Meta:
        ordering = ["visit", "topic"]
        constraints = [models.UniqueConstraint(fields=["visit", "topic"], name="visit_topic_unique")]
        indexes = [models.Index(fields=["topic", "visit"], name="visit_topic_by_topic")]

    def __str__(self):
        return f"{self.topic} in {self.visit}"


class VisitOffice(models.Model):
    """An office a visitor held at the time of a visit (visits.offices' slug), as its sources give it."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="office_links")
    office_slug = models.SlugField(max_length=200)

    class Meta:
        ordering = ["visit", "office_slug"]
        constraints = [models.UniqueConstraint(fields=["visit", "office_slug"], name="visit_office_unique")]
        indexes = [models.Index(fields=["office_slug", "visit"], name="visit_office_by_office")]

    def __str__(self):
        return f"{self.office_slug} in {self.visit}"


class VisitCountry(models.Model):
    """A country a visit involves: the host country or a visitor's country."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="country_links")
    country = CountryField()

    class Meta:
        ordering = ["visit", "country"]
        constraints = [models.UniqueConstraint(fields=["visit", "country"], name="visit_country_unique")]
        indexes = [models.Index(fields=["country", "visit"], name="visit_country_by_country")]

    def __str__(self):
        return f"{self.country} in {self.visit}"


# Dataset records ----------------------------------------------------------------
#
# A visit's evidence is either an article (VisitReport) or a record of a
# published dataset, today the U.S. Office of the Historian's travels and
# visits (imported by `manage.py import_hsg`, see visits.hsg). A record is
# kept as the source gave it, beside the values the import derived from it.


class SourceRecord(models.Model):
    """One record of a published dataset, and the visit it reports."""

    class Dataset(models.TextChoices):
        PRESIDENT_TRAVELS = "president-travels", "Travels of the President"
        SECRETARY_TRAVELS = "secretary-travels", "Travels of the Secretary of State"
        FOREIGN_VISITS = "foreign-visits", "Visits by foreign leaders"

    dataset = models.CharField(max_length=32, choices=Dataset.choices)
    record_id = models.PositiveIntegerField(help_text="The record's own id in its dataset.")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="records")
    people = models.ManyToManyField(Official, through="SourceRecordOfficial", related_name="source_records")
    person_key = models.CharField(
        max_length=200, blank=True, help_text="The dataset's own stable id for the traveller (`who`), if it has one."
    )
    name = models.CharField(max_length=300, help_text="Who, as the record writes it (name, or title and name).")
    country_id = models.CharField(max_length=100, help_text="The record's country id, as written.")
    country_name = models.CharField(max_length=200, blank=True, help_text="The record's country name, as written.")
    country = CountryField(help_text="The country id mapped to a code (visits.hsg.countries).")
    start_text = models.CharField(max_length=32, help_text="The start date as written; may be partial.")
    end_text = models.CharField(max_length=32, blank=True, help_text="The end date as written; may be partial.")
    start = models.DateField(help_text="The earliest date `start_text` allows.")
    end = models.DateField(help_text="The latest date `end_text` (or, without one, `start_text`) allows.")
    locale = models.TextField(blank=True, help_text="Places, as written.")
    places = models.JSONField(default=list, blank=True, help_text="`locale` split into places.")
    remarks = models.TextField(blank=True, help_text="What happened, as written (whitespace joined).")
    source_path = models.CharField(max_length=300, blank=True, help_text="The file it was last imported from.")
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text="The record (lowest id) that reports the same trip; both point at one visit.",
    )

    class Meta:
        ordering = ["dataset", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "record_id"], name="source_record_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="source_record_end_not_before_start"),
            models.CheckConstraint(condition=~Q(duplicate_of=F("pk")), name="source_record_not_own_duplicate"),
            models.CheckConstraint(
                condition=Q(dataset__in=["president-travels", "secretary-travels", "foreign-visits"]),
                name="source_record_dataset_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_dataset_display()} {self.record_id}"

    def get_absolute_url(self):
        return self.visit.get_absolute_url() + f"#record-{self.pk}"

    @property
    def is_trip_abroad(self):
        return self.dataset != self.Dataset.FOREIGN_VISITS

    @property
    def host_country(self):
        """The visit's host: the record's country for a trip abroad, the United States for a visit to it."""
        return str(self.country) if self.is_trip_abroad else "US"

    @property
    def official_ids(self):
        """The ids of the people the record names, in order (prefetch `person_entries`)."""
        return [entry.official_id for entry in self.person_entries.all()]

    @property
    def repository_url(self):
        name = "visits" if self.dataset == self.Dataset.FOREIGN_VISITS else "travels"
        return f"https://github.com/HistoryAtState/{name}"


class SourceRecordOfficial(models.Model):
    """A person a dataset record names, and the office it gives them."""

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="person_entries")
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="record_entries")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the record.")
    office = models.CharField(max_length=200, blank=True, help_text="The office as the record writes it.")
    office_slug = models.SlugField(
        max_length=200, blank=True, help_text="The office in the vocabulary of visits.offices."
    )
    country = CountryField(help_text="The country whose office it is (the traveller's or visitor's).")
    name = models.CharField(max_length=200, help_text="The person's name as the record gives it.")

    class Meta:
        ordering = ["record", "position"]
        constraints = [
            models.UniqueConstraint(fields=["record", "official"], name="source_record_official_unique"),
        ]
        indexes = [
            models.Index(fields=["official", "record"], name="record_official_by_official"),
            models.Index(fields=["office_slug", "official"], name="record_official_by_office"),
        ]

    def __str__(self):
        office = f" ({self.office})" if self.office else ""
        return f"{self.official}{office} in {self.record}"


class OfficialIdentifier(models.Model):
    """A dataset's own stable id for an official, so re-imports find them whatever the name says."""

    class Scheme(models.TextChoices):
        HSG_TRAVELLER = "hsg-traveller", "Office of the Historian traveller id"

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=32, choices=Scheme.choices)
    value = models.CharField(max_length=200)

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="official_identifier_unique")]

    def __str__(self):
        return f"{self.scheme}:{self.value}"

    def get_absolute_url(self):
        return self.official.get_absolute_url()


class IndexChange(models.Model):
    """The visits one write changed, logged with the data version it made (visits.bitmaps reads the log).

    `visit_ids` null: a change that touched every visit or is not known
    visit by visit (a topic moved in the tree, demo data): indexes rebuild.
    """

    token = models.CharField(max_length=32)
    visit_ids = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.token}: {'every visit' if self.visit_ids is None else len(self.visit_ids)}"


class DataVersion(models.Model):
    """A token that changes with every write to visits, so cached counts know when they are stale.

    `visits.refresh`, which every write ends in, renews it in the writer's
    transaction. A random token rather than a counter: a
    restored backup can never bring back a token a cache has seen.
    """

    token = models.CharField(max_length=32)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.token
