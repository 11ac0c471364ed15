import io
import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from .helpers import staff_in


@pytest.fixture(autouse=True, scope="session")
def _required_database_vendor(django_db_setup, django_db_blocker):
    """Fail the run when CI asked for PostgreSQL and the suite got something else."""
    wanted = os.environ.get("REQUIRE_DATABASE_VENDOR")
    if wanted and connection.vendor != wanted:
        pytest.exit(f"REQUIRE_DATABASE_VENDOR={wanted} but the tests run on {connection.vendor}", returncode=1)


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached counts (a fresh test database reuses version tokens' absence), and
    no bitmap index: a rolled-back test's index would hold visits the next test never had."""
    from django.core.cache import cache

    from visits import bitmaps

    cache.clear()
    bitmaps.forget()


@pytest.fixture
def seeded(db):
    """The topic glossary and the seed article, loaded as `make run` loads them."""
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)
    call_command("load_articles", str(settings.BASE_DIR / "seeds"), stdout=io.StringIO())


@pytest.fixture
def editor_client(client, db):
    client.force_login(staff_in("Editors"))
    return client
