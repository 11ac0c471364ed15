"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: it launches the system Chromium
(`/usr/bin/chromium`, or `$CHROMIUM_PATH`). Without it the browser tests are
skipped, except under CI=true, where a missing browser is a failure.
"""

import io
import os
import platform

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API keeps an asyncio loop running in the test thread, so
# Django's async-safety guard would refuse the ORM calls the tests and
# pytest-django's flush make there. Test-only; set before any test runs.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
_BROWSER_VERSION = pytest.StashKey[str]()


def running_in_ci():
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium; skip (or fail under CI=true) when it is missing."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        reason = (
            f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium) "
            "or set CHROMIUM_PATH; Playwright's own browser download is not used"
        )
        if running_in_ci():
            pytest.fail(f"{reason}. CI=true, so this fails instead of skipping.", pytrace=False)
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser(browser, pytestconfig):
    """The session's browser, with its version logged once (and repeated in the summary)."""
    line = f"browser: Chromium {browser.version} at {CHROMIUM} ({platform.machine()})"
    print(line)
    pytestconfig.stash[_BROWSER_VERSION] = line
    return browser


def pytest_terminal_summary(terminalreporter, config):
    line = config.stash.get(_BROWSER_VERSION, None)
    if line:
        terminalreporter.write_line(line)


@pytest.fixture
def seeded(transactional_db):
    """The reference data and the seed article (Lloyd Austin's visit to Israel, April 2021)."""
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)
    call_command("load_articles", str(settings.BASE_DIR / "seeds"), stdout=io.StringIO())


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing after 10 s instead of 30 s when a navigation never comes."""
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(10_000)
    return page


@pytest.fixture
def page_errors(page):
    """Console errors and uncaught exceptions of `page`, as readable strings."""
    errors = []

    def on_console(message):
        if message.type == "error":
            where = message.location.get("url", "")
            errors.append(f"console.error: {message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught {error.name}: {error.message}"))
    return errors
