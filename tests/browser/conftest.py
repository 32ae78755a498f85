"""Headless Debian chromium driven by Playwright's sync API, against pytest-django's live_server.

Playwright's own browser download cannot work on these machines, so the system chromium is used.
Screenshots go to the run's own temporary folder (``<pytest basetemp>/screens/``, or ``$SCREENS_DIR``
when set; see ``screenshot``) so a person can look at what a test saw and parallel runs never share one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django refuses database access from a
# thread with a running loop unless told it is safe (it is: the loop is Playwright's, not ours).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
_screens: dict[str, Path] = {}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session", autouse=True)
def screens_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this run's screenshots go: $SCREENS_DIR, or a folder in this run's basetemp."""
    chosen = os.environ.get("SCREENS_DIR")
    _screens["dir"] = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "screens"
    return _screens["dir"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser: Browser, viewport: dict, **options) -> tuple:
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Chromium reports every Content-Security-Policy refusal on the console: collect them, so a page
    # that needs an inline script or style fails its journey instead of silently losing behaviour.
    page.csp_violations = []
    page.on("console", lambda message: page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return context, page


def _close(context, page: Page) -> None:
    violations = list(page.csp_violations)
    context.close()
    assert violations == [], f"Content-Security-Policy refusals on {page.url}: {violations}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page (1280×900) in a fresh browser context (no cookies)."""
    context, page = _new_page(browser, DESKTOP)
    yield page
    _close(context, page)


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page (390×844, touch) in a fresh browser context."""
    context, page = _new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    _close(context, page)


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a PNG as <screens dir>/<name>.png and return its path."""
    folder = _screens["dir"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
