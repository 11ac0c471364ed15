"""Topics from the glossary that an article names: by their names and by the aliases articles gave them.

`TopicGlossary.from_database()` reads every topic with its name, its parent
and the mentions articles listed for it; `find_topics(text, glossary)`
returns the ones whose name or an alias occurs in the text as a whole word
("Iran", "nuclear program"). A name that starts a sentence in capitals is
also looked for in lower case ("Regional security" in "regional security
challenges"). A topic's `parent` is written only when its parent is found too
(the format needs it defined in the same file); otherwise it is left out and
the loader keeps the parent the database knows.
"""

import re
from dataclasses import dataclass, field

from ..spans import whole_word_occurrences


@dataclass(frozen=True)
class GlossaryTopic:
    slug: str
    name: str
    parent: str | None
    aliases: tuple = ()


@dataclass
class FoundTopic:
    slug: str
    name: str
    parent: str | None
    mentions: list = field(default_factory=list)
    spans: list = field(default_factory=list)  # [(start, end)] in the text


class TopicGlossary:
    def __init__(self, topics=()):
        self.topics = {t.slug: t for t in topics}

    @classmethod
    def from_database(cls):
        from ..models import ArticleTopic, Topic

        aliases = {}
        for slug, mentions in ArticleTopic.objects.values_list("topic__slug", "mentions"):
            for mention in mentions or ():
                aliases.setdefault(slug, {})[mention] = None
        topics = [
            GlossaryTopic(slug, name, parent, tuple(aliases.get(slug, ())))
            for slug, name, parent in Topic.objects.values_list("slug", "name", "parent__slug")
        ]
        return cls(topics)


def forms(topic):
    """Return the strings a topic is looked for by: its name (no bracketed part), lower-cased too, its aliases."""
    name = re.sub(r"\s*\([^)]*\)", "", topic.name).strip()
    found = [name, *topic.aliases]
    if name[:1].isupper() and " " in name and not name.split()[1][:1].isupper():
        found.append(name[:1].lower() + name[1:])
    bracket = re.search(r"\(([^)]+)\)", topic.name)
    if bracket:
        found.append(bracket.group(1))
    return list(dict.fromkeys(f for f in found if f))


def find_topics(text, glossary):
    """Return {slug: FoundTopic} of the glossary's topics named in `text` (a parent only when it is named too)."""
    found = {}
    for topic in glossary.topics.values():
        for form in forms(topic):
            spans = list(whole_word_occurrences(text, form))
            if spans:
                entry = found.setdefault(topic.slug, FoundTopic(topic.slug, topic.name, topic.parent))
                entry.mentions.append(form)
                entry.spans.extend(spans)
    for topic in found.values():
        if topic.parent not in found:
            topic.parent = None
    return found


def topics_in(found, start, end):
    """Return the slugs of the found topics mentioned inside text[start:end], in slug order."""
    return sorted(slug for slug, topic in found.items() if any(start <= s and e <= end for s, e in topic.spans))
