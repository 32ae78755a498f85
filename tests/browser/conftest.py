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
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import PASSWORD

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
    page.axe_failures = []
    page.on("console", lambda message: page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return context, page


def _close(context, page: Page) -> None:
    _settle_accessibility(page)
    violations = list(page.csp_violations)
    failures = list(getattr(page, "axe_failures", []))
    context.close()
    assert violations == [], f"Content-Security-Policy refusals on {page.url}: {violations}"
    assert failures == [], "accessibility: " + " | ".join(failures)


def check_accessibility_on_load(page: Page) -> Page:
    """Run axe-core (check_accessibility) on every page `page` loads from now on, not only where a
    screenshot is taken. Playwright runs the handler beside the test's own steps and it cannot fail
    the test itself, so each serious or critical violation is kept, with the page's address and the
    rule, and fails the test at the next `assert_accessible(page)` or, at the latest, when the page's
    context closes (both wait for the checks still running)."""
    page.axe_pending = 0

    def on_load(loaded: Page) -> None:
        loaded.axe_pending += 1
        try:
            check_accessibility(loaded)
        except AssertionError as failure:
            loaded.axe_failures.append(f"{loaded.url}: {failure}")
        except PlaywrightError:  # the page closed while axe ran: nothing left to judge
            pass
        finally:
            loaded.axe_pending -= 1

    page.on("load", on_load)
    return page


def _settle_accessibility(page: Page) -> None:
    for _attempt in range(600):
        if not getattr(page, "axe_pending", 0):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"axe-core never finished on {page.url}")


def assert_accessible(page: Page) -> None:
    """Fail now if any page loaded so far under check_accessibility_on_load had a serious violation."""
    _settle_accessibility(page)
    failures, page.axe_failures = list(page.axe_failures), []
    assert failures == [], "accessibility: " + " | ".join(failures)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page (1280×900) in a fresh browser context (no cookies)."""
    context, page = _new_page(browser, DESKTOP)
    check_accessibility_on_load(page)  # every page every journey loads, not only its screenshots
    yield page
    _close(context, page)


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page (390×844, touch) in a fresh browser context."""
    context, page = _new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    check_accessibility_on_load(page)
    yield page
    _close(context, page)


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a PNG as <screens dir>/<name>.png and return its path; the page is checked for
    accessibility too (check_accessibility), so every page a journey shows is."""
    folder = _screens["dir"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    check_accessibility(page, name)
    return path


# axe-core, vendored from npm (tests/browser/vendor/README.md): GB/T 37668-2019 follows WCAG 2.x.
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# WCAG 2.x A and AA rules, and axe's best practices that concern a page's structure.
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").split(String.fromCharCode(10)).slice(0, 2).join(" ")),
  }));
}"""
_checked: set[tuple[str, str]] = set()


def check_accessibility(page: Page, name: str = "") -> list[dict]:
    """Run axe-core on what `page` shows now; fail on any serious or critical violation.

    The journey's own context keeps the site's Content-Security-Policy (its refusals fail the
    journey), so axe runs in a second context that bypasses it, on a copy of the page: the same
    address, cookies, viewport and document (the DOM as it is now, a form's errors included) served
    in place of a new request, with the site's own styles, so contrast is measured on what users see.
    """
    html = page.content()
    url = page.url
    key = (url, str(page.viewport_size))
    if key in _checked and not name:
        return []
    _checked.add(key)
    address = url.split("#", 1)[0]
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(bypass_csp=True, storage_state=page.context.storage_state(),
                                  viewport=page.viewport_size, locale="zh-CN")
    try:
        copy = context.new_page()
        copy.route(address, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                          body=html))
        copy.goto(url)
        copy.add_script_tag(path=str(AXE))
        violations = copy.evaluate(AXE_RUN)
    finally:
        context.close()
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], f"accessibility ({name or url}): " + "; ".join(
        f"{v['id']} [{v['impact']}] {v['help']}: {v['nodes']}" for v in serious)
    return violations


def log_in(page: Page, base: str, username: str, *, slug: str = "keqiao", password: str = PASSWORD) -> None:
    """Sign in through the jurisdiction's login form, as a user does, and wait until the header
    offers to sign out (in either language)."""
    page.goto(f"{base}/{slug}/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]").click()
    expect(page.locator("header form.inline-form [type=submit]").first).to_be_visible()

