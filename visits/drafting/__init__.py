"""Drafting annotations: from an article's text and metadata to a reviewed annotation file.

The pieces, each usable alone and without the database unless it says so:

- `segments.py`: paragraphs and sentences as offsets;
- `countries.py`: country names, adjectives and cities to ISO codes;
- `officials.py`: the people an article names (by title, or known to the database: `Gazetteer`);
- `quotes.py`: direct quotations, their speakers, reported speech;
- `dates.py`: dates relative to the publication date (`dateparser`);
- `topics.py`: the glossary's topics named in the text (`TopicGlossary`);
- `draft.py`: all of it put together into a `Draft` (`draft_article`);
- `writer.py`: a Draft as a `visit-report/1` file with the reviewer's comments (`write_draft`).

`draft_file(...)` is what `manage.py draft_annotations` runs. Every draft is
checked with the loader's own parser before it is returned
(`DraftInvalid` if it would not load: a bug of the drafter, never the
reviewer's problem).
"""

from pathlib import Path

from ..loading.document import parse_document
from .draft import Draft, DraftContext, Meta, draft_article
from .writer import write_draft

__all__ = ["Draft", "DraftContext", "DraftInvalid", "Meta", "draft_article", "draft_text", "write_draft"]


class DraftInvalid(Exception):
    """The drafter wrote something the loader refuses: the messages say what."""


def checked(yaml_text, text):
    """Return `yaml_text` if the loader's parser accepts it with `text`, else raise DraftInvalid."""
    document, problems = parse_document(yaml_text, text)
    errors = [p for p in problems if not p.warning]
    if document is None or errors:
        raise DraftInvalid("; ".join(p.format("draft") for p in errors) or "the draft did not parse")
    return yaml_text


def draft_text(text, meta, context=None):
    """Return (Draft, YAML text) for an article, the YAML checked by the loader's parser."""
    draft = draft_article(text, meta, context)
    return draft, checked(write_draft(draft), text)


def draft_file(txt_path, meta, *, context=None, force=False):
    """Write the draft of TXT_PATH beside it as .yaml; return (path, Draft). FileExistsError unless `force`."""
    txt_path = Path(txt_path)
    target = txt_path.with_suffix(".yaml")
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists: pass --force to overwrite it")
    text = txt_path.read_text(encoding="utf-8")
    draft, yaml_text = draft_text(text, meta, context or DraftContext.from_database())
    target.write_text(yaml_text, encoding="utf-8")
    return target, draft
