"""Open redirects: every parameter that says where to go next (login, logout, the agreement page, the admin's
sign-in, blocking and muting, moderators' buttons, a notification's link) is tried with addresses that lead off the
site, and every answer stays on it."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from community.models import MembershipRole, Notification, SiteRole
from messaging.models import Message
from messaging.services.rooms import room_for_group

PASSWORD = "a-long-pass-phrase"
OFF_SITE = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/login/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "http:evil.example",
    "https:/evil.example",
    "/\t/evil.example",
    " //evil.example",
    "///evil.example",
    "https://testserver@evil.example",
    "https://evil.example%23@testserver/",
    "\x01//evil.example",
]


def stays_on_site(location: str) -> bool:
    """Where a browser would go from this Location header is this site. Browsers drop tabs and newlines, trim
    leading spaces and control characters, and read a backslash as a slash."""
    cleaned = "".join(ch for ch in location if ch not in "\t\r\n").lstrip("".join(map(chr, range(33))))
    cleaned = cleaned.replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme:
        return parts.scheme in ("http", "https") and parts.netloc == "testserver"
    return cleaned.startswith("/") and not cleaned.startswith("//")


def test_the_checker_itself():
    assert stays_on_site("/groups/") and stays_on_site("/me/?x=//evil.example")
    assert stays_on_site("http://testserver/groups/")
    for bad in OFF_SITE:
        assert not stays_on_site(bad), bad


@pytest.fixture
def people(make_user, make_group, add_member):
    member = make_user(email="member@example.org", password=PASSWORD)
    other = make_user(email="other@example.org")
    moderator = make_user(role=SiteRole.MODERATOR, email="mod@example.org")
    staff = make_user(role=SiteRole.STAFF, email="staff@example.org", password=PASSWORD)
    group = make_group()
    add_member(group, member)
    add_member(group, other, role=MembershipRole.LEADER)
    room = room_for_group(group=group)
    message = Message.objects.create(room=room, author=other, body="Hello")
    return {"member": member, "other": other, "moderator": moderator, "staff": staff, "room": room, "message": message}


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def probe_login_post_field(p, bad):
    return Client().post("/login/", {"username": p["member"].email, "password": PASSWORD, "next": bad})


def probe_login_query(p, bad):
    return Client().post(f"/login/?next={bad}", {"username": p["member"].email, "password": PASSWORD})


def probe_login_when_signed_in(p, bad):
    return _as(p["member"]).get("/login/", {"next": bad})


def probe_logout_field(p, bad):
    return _as(p["member"]).post("/logout/", {"next": bad})


def probe_logout_query(p, bad):
    return _as(p["member"]).post("/logout/?" + urlencode({"next": bad}))


def probe_agreement_field(p, bad):
    return _as(p["member"]).post("/me/agreements/", {"next": bad})


def probe_agreement_query(p, bad):
    return _as(p["member"]).post("/me/agreements/?" + urlencode({"next": bad}))


def probe_admin_login(p, bad):
    return Client().post("/admin/login/", {"username": p["staff"].email, "password": PASSWORD, "next": bad})


def probe_block(p, bad):
    return _as(p["member"]).post(f"/people/{p['other'].pk}/block/", {"next": bad})


def probe_mute(p, bad):
    return _as(p["member"]).post(f"/people/{p['other'].pk}/mute/", {"next": bad})


def probe_duty(p, bad):
    return _as(p["moderator"]).post("/moderation/duty/", {"next": bad})


def probe_room_lock(p, bad):
    return _as(p["moderator"]).post(f"/moderation/rooms/{p['room'].pk}/lock/", {"next": bad})


def probe_message_hide(p, bad):
    return _as(p["moderator"]).post(f"/moderation/messages/{p['message'].pk}/hide/", {"next": bad, "reason": "x"})


def probe_notification_link(p, bad):
    note = Notification.objects.create(user=p["member"], kind="welcome", title="Hello", url=bad)
    return _as(p["member"]).post(f"/notifications/{note.pk}/open/")


PROBES = {
    "login (next field)": probe_login_post_field,
    "login (?next=)": probe_login_query,
    "login page while signed in (?next=)": probe_login_when_signed_in,
    "logout (next field)": probe_logout_field,
    "logout (?next=)": probe_logout_query,
    "agreement accepted (next field)": probe_agreement_field,
    "agreement accepted (?next=)": probe_agreement_query,
    "admin sign-in (next field)": probe_admin_login,
    "block (next field)": probe_block,
    "mute (next field)": probe_mute,
    "moderator duty (next field)": probe_duty,
    "room lock (next field)": probe_room_lock,
    "message hidden (next field)": probe_message_hide,
    "notification link": probe_notification_link,
}


@pytest.mark.parametrize("where", list(PROBES))
def test_no_open_redirect(people, where):
    went_off = []
    for bad in OFF_SITE:
        response = PROBES[where](people, bad)
        assert response.status_code < 500, (bad, response.status_code)
        location = response.headers.get("Location")
        if location is not None and not stays_on_site(location):
            went_off.append(f"{bad!r} -> {location!r}")
        if response.status_code == 200:
            assert "evil.example" not in response.content.decode(), bad
    assert went_off == [], f"{where} sent people off the site:\n" + "\n".join(went_off)


def test_a_safe_next_is_still_followed(people):
    """The probes mean something: a next= on this site is followed."""
    response = Client().post("/login/", {"username": people["member"].email, "password": PASSWORD, "next": "/groups/"})
    assert response["Location"] == "/groups/"
    response = _as(people["member"]).post(f"/people/{people['other'].pk}/mute/", {"next": "/chat/"})
    assert response["Location"] == "/chat/"
