"""Faults: a loader killed mid-run, two loaders at once, a PostgreSQL restart while serving.

These run real processes against a scratch database of their own (a file
for SQLite, a fresh database on the PostgreSQL server otherwise), so they
do not disturb the test database.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
from django.conf import settings

PROJECT = settings.BASE_DIR
TEMPLATE = PROJECT / "tests" / "data" / "lind-norland"
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def write_articles(folder, count):
    """Write `count` distinct copies of a test article (own stem, url and visit), each with 2 statements."""
    text = TEMPLATE.with_suffix(".txt").read_text()
    annotation = TEMPLATE.with_suffix(".yaml").read_text()
    for n in range(count):
        stem = f"copy-{n:04d}"
        (folder / f"{stem}.txt").write_text(text)
        (folder / f"{stem}.yaml").write_text(
            annotation.replace("lind-norland-2031-05", f"lind-norland-{n:04d}").replace(
                "https://example.org/news/lind-norland", f"https://example.org/news/copy-{n}"
            )
        )


class ScratchDatabase:
    """An empty, migrated database only this test uses."""

    def __init__(self, tmp_path):
        if ON_POSTGRESQL:
            import psycopg

            self.name = f"faults_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {self.name}")
            self.url = f"{PG_SERVER}/{self.name}"
        else:
            self.url = f"sqlite:///{tmp_path / 'faults.sqlite3'}"
        run = self.manage("migrate", "--noinput")
        assert run.returncode == 0, run.stderr

    def env(self):
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
        return clean | {"DATABASE_URL": self.url}

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=PROJECT, env=self.env(), capture_output=True, text=True
        )

    def start(self, *args):
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def query(self, sql):
        if ON_POSTGRESQL:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(self.url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql).fetchall()

    def drop(self):
        if ON_POSTGRESQL:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


@pytest.fixture
def scratch(tmp_path):
    database = ScratchDatabase(tmp_path)
    yield database
    database.drop()


def per_article_counts(db):
    """Return {stem: (visit reports, meetings, statements, mentions)} for every loaded article."""
    rows = db.query(
        "SELECT a.slug,"
        " (SELECT COUNT(*) FROM visits_visitreport r WHERE r.article_id = a.id),"
        " (SELECT COUNT(*) FROM visits_meeting m WHERE m.article_id = a.id),"
        " (SELECT COUNT(*) FROM visits_statement s WHERE s.article_id = a.id),"
        " (SELECT COUNT(*) FROM visits_mention n WHERE n.article_id = a.id)"
        " FROM visits_article a"
    )
    return {slug: tuple(counts) for slug, *counts in rows}


def test_a_loader_killed_mid_run_leaves_only_whole_files(tmp_path, scratch):
    articles = tmp_path / "articles"
    articles.mkdir()
    write_articles(articles, 150)
    # Small batches, so that the kill lands between commits with most files still to load.
    loader = scratch.start("load_articles", "--batch-size", "10", str(articles))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and scratch.query("SELECT COUNT(*) FROM visits_article")[0][0] < 10:
        time.sleep(0.05)
    loader.send_signal(signal.SIGKILL)
    loader.wait()

    counts = per_article_counts(scratch)
    assert 10 <= len(counts) < 150, "the kill came too late to test anything"
    assert set(counts.values()) == {(1, 1, 2, counts["copy-0000"][3])}
    assert counts["copy-0000"][3] > 0
    # Re-running finishes the job: the killed run's files are whole, the rest load.
    rerun = scratch.manage("load_articles", str(articles))
    assert rerun.returncode == 0, rerun.stderr
    assert len(per_article_counts(scratch)) == 150


def test_two_loaders_on_the_same_files_at_once_leave_no_duplicates(tmp_path, scratch):
    articles = tmp_path / "articles"
    articles.mkdir()
    write_articles(articles, 40)
    first, second = scratch.start("load_articles", str(articles)), scratch.start("load_articles", str(articles))
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), outputs
    assert scratch.query("SELECT COUNT(*), COUNT(DISTINCT slug) FROM visits_official") == [(2, 2)]
    assert scratch.query("SELECT COUNT(*) FROM visits_topic") == [(3,)]
    assert scratch.query("SELECT COUNT(*) FROM visits_visit") == [(40,)]
    assert set(per_article_counts(scratch).values()) == {(1, 1, 2, per_article_counts(scratch)["copy-0000"][3])}


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.pg_restart
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
def test_the_next_request_after_a_postgresql_restart_succeeds(tmp_path, scratch):
    """Runs only when asked (-m pg_restart): it restarts the server under every other connection."""
    port = 8700 + os.getpid() % 200
    env = scratch.env() | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            str(PROJECT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "1",
            "--no-control-socket",
        ],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/visits/"
        for _ in range(100):
            try:
                if get(url) == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert get(url) == 200  # the worker now holds a persistent connection
        cluster = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()[0]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
        for _ in range(100):
            if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
                break
            time.sleep(0.1)
        assert get(url) == 200
        assert get(f"http://127.0.0.1:{port}/healthz") == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
