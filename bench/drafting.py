#!/usr/bin/env python
"""Measure the drafter against hand annotations: precision and recall per measure, and time per article.

    .venv/bin/python bench/drafting.py tests/data/articles/dev [MORE FOLDERS] [--database-url URL] [--failures]
        [--results bench/results.md --label dev]

Each folder holds article pairs (NAME.txt + NAME.yaml, annotated by hand).
The drafter sees only the text and the hand file's article metadata (title,
date, publisher, url). What it knows besides is what a fresh installation
knows: by default a scratch SQLite database with the topic glossary and the
seed articles (`make run`'s data), so that no article of the folders can
leak into the drafts; `--database-url` drafts against another database
instead (read only). Every draft is also loaded with `load_articles
--dry-run` rules into that database, and the ones refused are counted.

The measures are defined in `visits/drafting/scoring.py`. The output is a
Markdown table (paste it into bench/results.md), then per article what was
missed (`--failures`).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url):
    scratch = None
    if database_url is None:
        scratch = tempfile.mkdtemp(prefix="drafting-bench-")
        database_url = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if scratch:
        from io import StringIO

        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("loaddata", str(ROOT / "fixtures" / "topic_glossary.json"), verbosity=0)
        call_command("load_articles", str(ROOT / "seeds"), stdout=StringIO())


def pairs(folders):
    for folder in folders:
        for txt in sorted(Path(folder).glob("*.txt")):
            if txt.with_suffix(".yaml").exists():
                yield txt


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--database-url", help="draft against this database instead of a scratch one")
    parser.add_argument("--failures", action="store_true", help="list, per article, what the draft got wrong")
    parser.add_argument("--results", metavar="FILE", help="also write the table into FILE (e.g. bench/results.md)")
    parser.add_argument("--label", help="the section's name in --results (default: the folders), e.g. dev, hold-out")
    args = parser.parse_args()
    setup(args.database_url)

    from visits.drafting import DraftContext, DraftInvalid, Meta, draft_text
    from visits.drafting.scoring import Count, from_document, from_draft, score
    from visits.loading import load_file
    from visits.loading.document import parse_document

    context = DraftContext.from_database()
    totals, times, refused, articles = {}, [], [], 0
    per_article = []
    for txt in pairs(args.folders):
        text = txt.read_text(encoding="utf-8")
        hand_document, problems = parse_document(txt.with_suffix(".yaml").read_text(encoding="utf-8"), text)
        if hand_document is None:
            print(f"skipped {txt}: the hand file does not parse ({problems[0].message})", file=sys.stderr)
            continue
        a = hand_document.article
        meta = Meta(a.title, a.published, a.publisher, a.url or "", a.author, a.language)
        began = time.perf_counter()
        try:
            draft, yaml_text = draft_text(text, meta, context)
        except DraftInvalid as exc:
            refused.append(f"{txt.name}: {exc}")
            continue
        times.append(time.perf_counter() - began)
        articles += 1
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / txt.name).write_text(text, encoding="utf-8")
            (Path(folder) / txt.with_suffix(".yaml").name).write_text(yaml_text, encoding="utf-8")
            result = load_file(Path(folder) / txt.with_suffix(".yaml").name, dry_run=True)
            if not result.ok:
                refused.append(f"{txt.name}: " + "; ".join(p.message for p in result.errors))
        hand, drafted = from_document(hand_document), from_draft(draft)
        scores = score(text, drafted, hand)
        for name, count in scores.items():
            totals.setdefault(name, Count()).add(count)
        per_article.append((txt, text, hand, drafted, scores))

    folders = ", ".join(args.folders)
    lines = [f"Drafts of {articles} articles ({folders}); {len(refused)} refused by the loader.", ""]
    lines += [
        "| measure | precision | recall | drafted | hand | matched |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, count in totals.items():
        if name in ("visit dates", "host country"):
            share = count.hits / count.hand if count.hand else 0
            lines.append(f"| {name} (exact per article) | | {share:.2f} | | {count.hand} | {count.hits} |")
        else:
            row = f"{count.precision:.2f} | {count.recall:.2f} | {count.drafted} | {count.hand} | {count.hits}"
            lines.append(f"| {name} | {row} |")
    if times:
        lines += [
            "",
            f"Time per article: median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms (drafting and the parser's check).",
        ]
    lines += [f"refused: {line}" for line in refused]
    print("\n".join(lines))
    if args.results:
        write_results(Path(args.results), args.label or folders, lines)
    if args.failures:
        report_failures(per_article)


def write_results(path, label, lines):
    """Put the table in `path` under "## Drafting: LABEL", replacing that section if it is there."""
    import datetime

    begin, end = f"<!-- drafting:{label} -->", f"<!-- /drafting:{label} -->"
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join([begin, f"## Drafting: {label}", "", f"`bench/drafting.py`, {stamp}.", "", *lines, end])
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def report_failures(per_article):
    from visits.drafting.scoring import official_map, overlap, trimmed

    for txt, text, hand, drafted, _ in per_article:
        lines = []
        mapping = official_map(drafted.officials, hand.officials)
        missed = sorted(set(hand.officials) - set(mapping.values()))
        extra = sorted(set(drafted.officials) - set(mapping))
        if missed or extra:
            lines.append(f"  officials missed {missed}, extra {extra}")
        hand_spans = {trimmed(text, s, e): who for s, e, who in hand.direct}
        draft_spans = {trimmed(text, s, e): who for s, e, who in drafted.direct}
        for span, who in hand_spans.items():
            if span not in draft_spans:
                lines.append(f"  quote missed ({who}): {text[span[0] : span[1]][:90]!r}")
            elif draft_spans[span] and mapping.get(draft_spans[span]) != who:
                lines.append(f"  speaker wrong ({draft_spans[span]} for {who}): {text[span[0] : span[1]][:70]!r}")
            elif not draft_spans[span]:
                lines.append(f"  speaker left out ({who}): {text[span[0] : span[1]][:70]!r}")
        for span, who in draft_spans.items():
            if span not in hand_spans:
                lines.append(f"  quote extra ({who}): {text[span[0] : span[1]][:90]!r}")
        for start, end, who in hand.indirect:
            if not any(overlap((start, end), (s, e)) and mapping.get(w) == who for s, e, w in drafted.indirect):
                lines.append(f"  reported speech missed ({who}): {text[start:end][:90]!r}")
        for start, end, who in drafted.indirect:
            if not any(overlap((start, end), (s, e)) and mapping.get(who) == w for s, e, w in hand.indirect):
                lines.append(f"  reported speech extra ({who}): {text[start:end][:90]!r}")
        if drafted.visit_dates != hand.visit_dates:
            lines.append(f"  visit dates {drafted.visit_dates} instead of {hand.visit_dates}")
        if drafted.host_country != hand.host_country:
            lines.append(f"  host country {drafted.host_country} instead of {hand.host_country}")
        if lines:
            print(f"\n{txt.name}")
            print("\n".join(lines))


if __name__ == "__main__":
    main()
