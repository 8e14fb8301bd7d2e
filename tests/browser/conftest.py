"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

# Playwright's sync API keeps an event loop in the test's thread; the ORM calls the tests make for set-up are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _broadcasts_from_the_test_thread_go_at_once(monkeypatch):
    """Between Playwright's sync calls its event loop is marked as running in the test's thread, though nothing runs
    it, so a broadcast made by a test's own set-up code (community.realtime.group_send_soon) would be parked on that
    loop until the next browser call, and on Redis it would open a connection there that channels_redis closes when
    Playwright closes its loop. Set-up broadcasts are sent from a thread of their own instead, before the call
    returns, as in any other synchronous code. Requests the browser makes are served in other threads, untouched."""
    from community import realtime as community_realtime
    from messaging import realtime as messaging_realtime

    send = community_realtime.group_send_soon

    def group_send_now(group: str, event: dict) -> None:
        if threading.current_thread() is not threading.main_thread():
            send(group, event)
            return
        sender = threading.Thread(target=send, args=(group, event), name="test-set-up-broadcast")
        sender.start()
        sender.join()

    monkeypatch.setattr(community_realtime, "group_send_soon", group_send_now)
    monkeypatch.setattr(messaging_realtime, "group_send_soon", group_send_now)


@pytest.fixture(scope="module")
def chromium():
    """One browser per test module: Playwright's sync API holds an event loop open while it runs, which the
    asyncio-based socket tests elsewhere must not find running."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """Scan the page with axe-core; fail listing any serious or critical WCAG 2.2 AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        summary = "\n".join(
            f"{v['impact']}: {v['id']} - {v['help']} ({len(v['nodes'])} nodes: "
            f"{', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in bad
        )
        assert not bad, f"Accessibility problems on {page.url}:\n{summary}"

    return check


@pytest.fixture
def log_in(page, live_server):
    def do(email: str, password: str = "a-long-pass-phrase") -> None:
        page.goto("/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return do
