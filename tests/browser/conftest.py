"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in this thread, which trips Django's async-unsafe check for the ORM calls
tests make around it; they are plain synchronous calls, so the check is switched off for these tests only (not for
the whole run: `check --deploy` in a subprocess of another test would rightly refuse it), and Playwright is stopped
at the end of each module so no event loop outlives them.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def allow_async_unsafe():
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(allow_async_unsafe):
    if not Path(CHROMIUM).exists():
        # `make test` installs it; a missing browser must fail the run, never hide the browser tests.
        pytest.fail("Chromium is not installed at /usr/bin/chromium: run `make chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page that records console errors and failed requests, to assert none happened."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url
        self.problems: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.problems.append(f"console: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url} {request.failure}"))
        page.on(
            "response",
            lambda response: response.status >= 400 and self.problems.append(f"HTTP {response.status}: {response.url}"),
        )
        # Offline, as analysts sometimes are: any request that leaves the live server is a failure.
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(base_url)
                else (self.problems.append(f"external: {route.request.url}"), route.abort())
            ),
        )

    def visit(self, path: str, screenshot: str | None = None):
        # "networkidle": every subresource (the favicon too) has finished, so the next navigation aborts nothing.
        response = self.page.goto(self.base_url + path, wait_until="networkidle")
        assert response.ok, (path, response.status)
        if screenshot:
            self.shoot(screenshot)
        return response

    def shoot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self):
        assert self.problems == []


@pytest.fixture
def watched(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield Watched(page, live_server.url)
    context.close()
