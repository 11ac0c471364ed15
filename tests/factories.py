"""factory_boy factories for volume in view and query-count tests.

Factories write rows directly, as an editor would: a visit made here is
marked edited, so that uniting it with its reports (`visits.refresh`, after
any write) keeps the values it was given. Call `visits.indexing.reindex_all`
(as `build_archive` does) afterwards so the filter lookup tables match.
"""

import datetime

import factory
from django.utils import timezone

from visits.indexing import reindex_all
from visits.models import Article, Meeting, Official, Statement, Topic, Visit, VisitReport
from visits.people import refresh_officials


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    published = datetime.date(2021, 4, 11)
    text = "The minister said the talks went well. " * 5


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    slug = factory.Sequence(lambda n: f"official-{n}")
    name = factory.Sequence(lambda n: f"Official {n}")
    country = "US"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"visit-{n}")
    host_country = "IL"
    start = datetime.date(2021, 4, 11)
    end = factory.LazyAttribute(lambda v: v.start + datetime.timedelta(days=1))
    summary = "A visit."
    edited_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def visitors(self, create, extracted, **kwargs):
        if create and extracted:
            self.visitors.set(extracted)

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if create and extracted:
            self.hosts.set(extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class VisitReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitReport

    article = factory.SubFactory(ArticleFactory)
    visit = factory.SubFactory(VisitFactory)
    host_country = factory.LazyAttribute(lambda r: r.visit.host_country)
    start = factory.LazyAttribute(lambda r: r.visit.start)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    visit = factory.SubFactory(VisitFactory)
    date = factory.LazyAttribute(lambda m: m.visit.start)
    place = "Ministry"

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    visit = factory.SubFactory(VisitFactory)
    speaker = factory.SubFactory(OfficialFactory)
    quote = "the talks went well"
    start = 17
    end = 36

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


def build_archive(visits=3, officials_per_visit=2, topics_per_visit=2):
    """Create `visits` visits, each with several visitors, hosts, topics, a report,
    two meetings with participants and topics, and three statements with topics."""
    parent = TopicFactory(slug="parent-topic", name="Parent topic")
    created = []
    for index in range(visits):
        article = ArticleFactory(slug=f"article-{index}")
        visitors = [OfficialFactory(slug=f"visitor-{index}-{k}", country="US") for k in range(officials_per_visit)]
        hosts = [OfficialFactory(slug=f"host-{index}-{k}", country="IL") for k in range(officials_per_visit)]
        topics = [TopicFactory(slug=f"topic-{index}-{k}", parent=parent) for k in range(topics_per_visit)]
        visit = VisitFactory(
            slug=f"visit-{index}",
            start=datetime.date(2020 + index % 2, 1 + index, 10),
            visitors=visitors,
            hosts=hosts,
            topics=topics,
        )
        report = VisitReportFactory(article=article, visit=visit, evidence_start=0, evidence_end=12)
        report.visitors.set(visitors)
        for _ in range(2):
            MeetingFactory(article=article, visit=visit, participants=visitors + hosts, topics=topics)
        for speaker in (visitors + hosts)[:3]:
            StatementFactory(article=article, visit=visit, speaker=speaker, topics=topics)
        created.append(visit)
    reindex_all()
    refresh_officials(Official.objects.values_list("pk", flat=True))
    return created
