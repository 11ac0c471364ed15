"""Production mode, security headers, health checks and login throttling."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings

PROJECT = str(settings.BASE_DIR)
STRONG_KEY = "k3y-" + "x7Qp9LmZ2vR8sT4w" * 4


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=environment, capture_output=True, text=True
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    run = manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0."
    )


def test_production_mode_refuses_to_start_without_allowed_hosts():
    run = manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0."
    )


def test_the_deployment_checklist_passes_in_production_mode():
    run = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "System check identified no issues (0 silenced).\n"


EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@pytest.mark.parametrize("url", ["/", "/visits/", "/statements/", "/admin/login/"])
def test_every_page_carries_the_security_headers(client, db, url):
    response = client.get(url)
    directives = sorted(part.strip() for part in response["Content-Security-Policy"].split(";"))
    assert directives == sorted(part.strip() for part in EXPECTED_CSP.split(";"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


def failing_cursor(*args, **kwargs):
    raise OperationalError("connection refused")


class DownConnection:
    cursor = staticmethod(failing_cursor)


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    import config.views

    monkeypatch.setattr(config.views, "connection", DownConnection())
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "unavailable", "database": "OperationalError"})


def test_a_database_outage_gives_a_503_page_not_a_traceback(client, db, monkeypatch):
    from visits.models import Visit

    monkeypatch.setattr(type(Visit.objects), "count", lambda self: failing_cursor())
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "The database is not answering right now." in response.content.decode()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_admin_logins_lock_the_account_out(client, django_user_model, db):
    django_user_model.objects.create_user("editor", password="right-password", is_staff=True)
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code in (200, 429)
    response = client.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_collected_hashed_static_files_serve_the_home_page_in_production_mode(tmp_path):
    """A missing manifest entry would make every page a 500 in production; catch it here."""
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": STRONG_KEY,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    assert manage("migrate", "--noinput", **env).returncode == 0
    collect = manage("collectstatic", "--noinput", **env)
    assert collect.returncode == 0, collect.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    script = (
        "from django.test import Client; r = Client().get('/', secure=True); "
        "import re; print(r.status_code, re.search(r'/static/visits/site\\.[0-9a-f]{12}\\.css', r.content.decode()) "
        "is not None)"
    )
    run = manage("shell", "-c", script, **env)
    assert run.stdout.strip().splitlines()[-1] == "200 True", run.stderr


# The shared cache (DJANGO_CACHE_URL) ------------------------------------------------

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_cache(location, prefix):
    return {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_a_cache_url_that_is_not_redis_is_refused_with_its_value():
    run = manage("check", DJANGO_CACHE_URL="memcached://127.0.0.1:11211")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: DJANGO_CACHE_URL must be a redis://, rediss:// or unix:// "
        "URL, not 'memcached://127.0.0.1:11211'."
    )


def test_pages_still_answer_when_the_shared_cache_is_down(client, db):
    from tests.factories import build_archive

    build_archive(visits=2)
    # Nothing listens on port 1: every cache call fails to connect.
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:1/0", "down")):
        for url in ["/", "/visits/?country=IL", "/officials/visitor-0-0/", "/topics/parent-topic/"]:
            assert client.get(url).status_code == 200, url


def test_workers_sharing_redis_compute_cached_counts_once(client, db, django_assert_num_queries):
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL} ({exc}); set TEST_REDIS_URL")
    from django.core.cache import caches

    from tests.factories import build_archive

    build_archive(visits=2)
    prefix = f"test-{os.getpid()}"
    with override_settings(CACHES=redis_cache(REDIS_URL, prefix)):
        client.get("/visits/?country=IL")
        assert server.keys(f"{prefix}:*"), "nothing was stored in Redis"
        caches["default"].close()  # what another worker sees: a new connection, the same Redis
        with django_assert_num_queries(5):  # the version check and the page: counts and facets come from Redis
            assert client.get("/visits/?country=IL").status_code == 200
        caches["default"].clear()
