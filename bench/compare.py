#!/usr/bin/env python
"""Compare this checkout with an earlier commit on the same data and machine, interleaved: A/B, not then/now.

    .venv/bin/python bench/compare.py --base REV [--visits N] [--rounds R] [--out FILE]

Timings on a shared 2-core machine drift by a factor of two from one hour to
the next, so a number is only worth comparing with one taken beside it. This
builds one scratch database (`visits_bench`, the current code's schema; the
pages only read, so an older commit can serve it too), checks REV out into a
temporary worktree, and for each page of `bench/run.py` measures both
checkouts in turn, R rounds, alternating which goes first; then each loads
the same 1,000 generated files into a fresh database of its own schema, and
streams the same CSV export. It prints (and with --out writes) a Markdown
table of the medians and the head/base ratio. Nothing is committed or changed
in this checkout.
"""

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import run  # bench/run.py: the same pages, children and databases

ROOT = run.ROOT


def child(tree, *args):
    """Run `tree`'s bench/run.py in a child mode against the scratch database; return its JSON."""
    completed = subprocess.run(
        [sys.executable, str(tree / "bench" / "run.py"), *args],
        env=run.environment(run.DATABASE),
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=run.PAGE_TIMEOUT_S,
    )
    if completed.returncode:
        return {"error": (completed.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def loader_seconds(tree, files):
    """Migrate a fresh database with `tree`'s own schema, load `files` with its loader; return seconds."""
    run.recreate_databases(run.LOAD_DATABASE)
    subprocess.run(
        [sys.executable, str(tree / "manage.py"), "migrate", "--noinput", "-v0"],
        env=run.environment(run.LOAD_DATABASE),
        cwd=tree,
        check=True,
    )
    began = datetime.datetime.now()
    subprocess.run(
        [sys.executable, str(tree / "manage.py"), "load_articles", str(files)],
        env=run.environment(run.LOAD_DATABASE),
        cwd=tree,
        check=True,
        capture_output=True,
    )
    return (datetime.datetime.now() - began).total_seconds()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the commit to compare with (a hash, tag or branch)")
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each page per checkout (default 3)")
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    args = parser.parse_args()

    head = ROOT
    base = Path(tempfile.mkdtemp(prefix="visits-compare-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=ROOT, check=True)
    files = Path(tempfile.mkdtemp(prefix="visits-compare-files-"))
    try:
        run.log(f"building {args.visits:,} visits in {run.DATABASE} with this checkout's schema")
        run.recreate_databases(run.DATABASE)
        run.manage("migrate", "--noinput")
        run.manage(
            "generate_demo_data", "--visits", str(args.visits), "--articles-dir", str(files),
            "--articles", str(run.LOADER_FILES),
        )  # fmt: skip
        run.setup_django(run.DATABASE)
        run.vacuum()
        pages = run.pick_pages()
        rows = []
        for label, url, _ in pages:
            medians = {"base": [], "head": []}
            colds = {"base": [], "head": []}
            for round_number in range(args.rounds):
                order = [("base", base), ("head", head)]
                for name, tree in order if round_number % 2 == 0 else reversed(order):
                    measured = child(tree, "--child-page", url)
                    if "error" in measured:
                        sys.exit(f"{name} failed on {url}: {measured['error']}")
                    medians[name].append(statistics.median(measured["times"]))
                    colds[name].append(measured["cold_ms"])
            row = {
                "label": label,
                "url": url,
                **{f"{name}_median": statistics.median(values) for name, values in medians.items()},
                **{f"{name}_cold": statistics.median(values) for name, values in colds.items()},
            }
            rows.append(row)
            run.log(
                f"{label}: repeated {row['base_median']:.1f} -> {row['head_median']:.1f} ms, "
                f"first {row['base_cold']:.0f} -> {row['head_cold']:.0f} ms"
            )
        export = run.export_url()
        exports = {name: child(tree, "--child-export", export) for name, tree in (("base", base), ("head", head))}
        loads = {name: loader_seconds(tree, files) for name, tree in (("base", base), ("head", head))}
        table = report(args, rows, exports, loads)
        print(table)
        if args.out:
            args.out.write_text(table)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT)
        run.recreate_databases(run.DATABASE, run.LOAD_DATABASE, drop_only=True)


def report(args, rows, exports, loads):
    head_rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    lines = [
        f"Compared on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {args.visits:,} visits, "
        f"base `{args.base}` against head `{head_rev.stdout.strip()}` (with uncommitted changes, if any), "
        f"{args.rounds} rounds each, interleaved. Medians of whole requests in ms; ratio = head / base.",
        "",
        "| page | base repeated | head repeated | ratio | base first | head first | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['label']} | {row['base_median']:.1f} | {row['head_median']:.1f} | "
            f"{row['head_median'] / row['base_median']:.2f} | {row['base_cold']:.0f} | {row['head_cold']:.0f} | "
            f"{row['head_cold'] / row['base_cold']:.2f} |"
        )
    rates = {name: e["rows"] / e["seconds"] for name, e in exports.items() if "rows" in e}
    if len(rates) == 2:
        lines.append(
            f"| CSV export, rows/s | {rates['base']:,.0f} | {rates['head']:,.0f} | "
            f"{rates['head'] / rates['base']:.2f} | | | |"
        )
    lines.append(
        f"| load_articles, 1,000 files, s | {loads['base']:.1f} | {loads['head']:.1f} | "
        f"{loads['head'] / loads['base']:.2f} | | | |"
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
