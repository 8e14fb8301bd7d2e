"""No request leaves the site, and the Content-Security-Policy blocks nothing the site itself needs.

A member signs in and goes through the main pages while the browser records every request and socket it opens and
every CSP violation it reports. The policy pages and "what we keep about you" pass an axe scan.

(The chat socket itself is served only by daphne, in tests/browser/test_chat_browser.py, which runs under the same
policy; here the chat page still opens its socket to this site, and the policy must not refuse it.)
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from community.models import PolicyKind
from community.services.policies import policy_publish
from events.models import Attendance, CheckInMethod
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def robin(make_user, group, add_member):
    user = make_user(display_name="Robin")
    add_member(group, user)
    return user


@pytest.fixture
def watched(page, live_server):
    """The page, with every request, socket, CSP violation and console error it sees."""
    seen = {"requests": [], "sockets": [], "violations": [], "console": []}
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("websocket", lambda socket: seen["sockets"].append(socket.url))
    page.on(
        "console",
        lambda message: (
            seen["console"].append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )

    def collect_violations() -> None:
        seen["violations"].extend(page.evaluate("window.__cspViolations || []"))

    seen["collect"] = collect_violations
    return seen


def _is_this_site(url: str, origin) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return True
    return (parts.hostname, parts.port) == origin


def test_a_member_s_pages_load_nothing_from_anywhere_else(page, watched, live_server, log_in, robin, group, leader):
    from messaging.services.rooms import room_for_group

    event = make_event(group, title="Pizza night", created_by=leader, starts_in=timedelta(minutes=20))
    make_rsvp(event, robin)
    past = make_event(group, title="Bowling", created_by=leader, starts_in=timedelta(days=-7))
    make_rsvp(past, robin)
    Attendance.objects.create(event=past, user=robin, method=CheckInMethod.SELF)
    room_for_group(group=group)

    log_in(robin.email)
    pages = [
        "/",
        "/groups/",
        f"/groups/{group.slug}/",
        "/events/",
        f"/events/{event.pk}/",
        f"/events/{event.pk}/check-in/",
        f"/chat/group/{group.slug}/",
        "/me/dashboard/",
        "/me/wellbeing/check-in/",
        "/me/privacy/",
        "/notifications/settings/",
        "/me/data/what-we-keep/",
        "/api/docs/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        page.wait_for_load_state("networkidle")
        if path.startswith("/chat/"):
            page.wait_for_timeout(500)  # the socket is opened by the page's script
        if path == "/api/docs/":
            expect(page.get_by_text("Here and Now API").first).to_be_visible()  # drawn by Swagger UI's own script
        watched["collect"]()

    origin = (urlsplit(live_server.url).hostname, urlsplit(live_server.url).port)
    assert len(watched["requests"]) > len(pages)  # the pages, and their styles and scripts
    elsewhere = [url for url in watched["requests"] + watched["sockets"] if not _is_this_site(url, origin)]
    assert elsewhere == []
    assert any(url.startswith("ws://") for url in watched["sockets"]), "the chat page opens its socket"
    assert watched["violations"] == []
    assert watched["console"] == []


def test_the_policy_pages_pass_an_axe_scan(page, log_in, axe_check, robin, staff):
    for kind in PolicyKind.values:
        policy_publish(
            actor=staff, kind=kind, title=f"Our {kind}", summary="A few plain words about what changed.",
            body="## What's new\nWe say more clearly what happens to your messages.",
        )  # fmt: skip
    log_in(robin.email)
    page.goto("/groups/")
    assert "/me/agreements/" in page.url  # the gate asks first
    expect(page.get_by_role("heading", level=1)).to_contain_text("We've updated")
    axe_check(page)
    for path in ("/privacy/", "/me/data/what-we-keep/"):
        page.goto(path)
        axe_check(page)
    page.goto("/me/agreements/?next=/groups/")
    page.get_by_role("button", name="I agree").click()
    page.wait_for_load_state()
    assert page.url.endswith("/groups/")
