"""Take the README's screenshots: `python docs/screenshots/take.py http://127.0.0.1:8790` against a running server.

Playwright drives the system Chromium (no browser download), at 1280 and
375 px wide, full page, and writes docs/screenshots/<name>-<width>.png.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

# name: (path, what to scroll to on a phone, where the filters or the main column come first)
PAGES = {
    "visit-list": ("/visits/", "#results-h"),
    "official": ("/officials/antony-blinken/", None),
    "counterparts": ("/officials/lloyd-austin/", "#counterparts-h"),
    "country": ("/countries/US/", None),
}
# The top of each page, where the pictures are: (width, height) of the window.
WINDOWS = ((1280, 1000), (375, 1500))
HERE = Path(__file__).resolve().parent


def main(base, names=None):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        for width, height in WINDOWS:
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, (path, phone_target) in PAGES.items():
                if names and name not in names:
                    continue
                page.goto(base + path)
                if width < 600 and phone_target:
                    page.locator(phone_target).evaluate("element => element.scrollIntoView()")
                page.screenshot(path=HERE / f"{name}-{width}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
