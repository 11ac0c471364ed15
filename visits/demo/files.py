"""The demo's articles as annotated file pairs (NAME.txt + NAME.yaml), for the loader.

The document is laid out by `visits.annotation`, as `export_articles` lays
out a real article; loading these files gives the rows `visits.demo.database`
writes for the same articles.
"""

from pathlib import Path

from django.conf import settings

from .. import annotation
from .database import DemoError

HEADER = "# Synthetic demo article written by `manage.py generate_demo_data`: not a real report.\n"


def check_articles_dir(directory):
    """Refuse a folder inside the repository's seeds/: demo files must never pass for real articles."""
    seeds = (Path(settings.BASE_DIR) / "seeds").resolve()
    target = Path(directory).resolve()
    if target == seeds or seeds in target.parents:
        raise DemoError(f"refusing to write synthetic articles into {seeds}: seeds/ holds real articles only")


def article_document(world, article):
    """Return the `visit-report/1` document (plain data) that describes `article`."""
    officials, text = world.officials, article.text
    slug_of = {index: officials[index].slug for index in article.roles}

    def topic_slugs(numbers):
        return [world.topic(n).slug for n in numbers]

    def statements(plans):
        return [
            annotation.statement_entry(
                text,
                speaker=slug_of[s.speaker],
                kind=s.kind,
                start=s.start,
                end=s.end,
                topics=topic_slugs(s.topics),
            )
            for s in plans
        ]

    meetings = [
        annotation.meeting_entry(
            text,
            date=meeting.date,
            place=meeting.place,
            participants=[slug_of[i] for i in meeting.participants],
            topics=topic_slugs(meeting.topics),
            evidence=meeting.evidence,
            statements=statements(meeting.statements),
        )
        for meeting in article.meetings
    ]
    visit = annotation.visit_entry(
        text,
        slug=article.visit_slug,
        visitors=[slug_of[i] for i in article.visitors],
        hosts=[slug_of[i] for i in article.hosts],
        host_country=article.host_country,
        start=article.start,
        end=article.end,
        places=article.places,
        summary=article.summary,
        topics=topic_slugs(article.topics),
        evidence=article.evidence,
        meetings=meetings,
        statements=statements(article.statements),
    )
    topics = {}
    for number in article.article_topics:
        topic = world.topic(number)
        topics[topic.slug] = {"name": topic.name, "mentions": [topic.phrase]}
        if topic.parent:
            topics[topic.slug]["parent"] = world.topic(topic.parent).slug
    meta = annotation.article_meta(
        title=article.title,
        published=article.published,
        publisher=article.publisher,
        url=article.url,
        author=article.author,
    )
    people = {
        slug_of[index]: {"name": officials[index].name, "country": officials[index].country, "role": role}
        for index, role in article.roles.items()
    }
    return annotation.document(meta, people, topics, [visit])


def write_article_pair(directory, world, article):
    """Write NAME.txt and NAME.yaml for one article; return the .yaml path."""
    return annotation.write_pair(directory, article.slug, article.text, article_document(world, article), HEADER)
