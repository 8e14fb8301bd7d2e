"""XSS: a corpus of payloads in every field people write (display name, bio, pronouns, interests, group name and
description, event title, description and address, idea text and comments, chat messages and their links, report
notes, pulse notes) is shown as text on the pages that show them, chat drawn by its script included: no payload runs
(`window.__xss` stays unset, no dialog opens, the Content-Security-Policy never has to block anything), no element
carries an event handler or a javascript:/data: link, and each payload can be read on the page as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client

from community.models import MembershipRole, SiteRole
from events.models import Attendance, CheckInMethod, IdeaComment, Pulse
from events.services.ideas import idea_propose
from messaging.models import Message
from messaging.services.moderation.cases import case_report_add
from messaging.services.rooms import room_for_group
from tests.events.domain_factories import make_event, make_rsvp

RUN = "window.__xss=1"
PAYLOADS = [
    f"<script>{RUN}</script>",
    f"<img src=x onerror={RUN}>",
    f'"><svg onload={RUN}>',
    f"'><img src=x onerror={RUN}>",
    f"javascript:{RUN}",
    f"</textarea><script>{RUN}</script>",
    f"</script><script>{RUN}</script>",
    "{{7*7}} {% csrf_token %} ${7*7} #{7*7}",
    f"\u202e<script>{RUN}</script>",
    f"\uff1cscript\uff1e{RUN}\uff1c/script\uff1e",
    f'<a href="javascript:{RUN}">hi</a>',
    f"<iframe srcdoc='<script>{RUN}</script>'>",
]
# Per payload, the fields that hold it (FIELDS x PAYLOADS is what the figures count).
FIELDS = [
    "display name", "bio", "pronouns", "interests", "group name", "group description", "event title",
    "event description", "event address", "idea title", "idea why", "idea comment", "chat message",
    "chat link", "report note", "pulse note",
]  # fmt: skip

CHECK = """() => {
  const bad = [];
  if (window.__xss !== undefined) bad.push("window.__xss was set");
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) bad.push(el.tagName + " has " + a.name);
      if (["href", "src", "action", "formaction", "srcdoc", "data"].includes(a.name)
          && /^\\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(el.tagName + " " + a.name + "=" + a.value);
    }
  }
  for (const s of document.querySelectorAll("script")) {
    if (!s.src && s.type !== "application/json") bad.push("an inline script: " + s.textContent.slice(0, 60));
  }
  for (const el of document.querySelectorAll("iframe, object, embed, svg[onload], img[src='x']")) {
    bad.push("an injected " + el.tagName);
  }
  return bad;
}"""


@dataclass
class Seeded:
    viewer: object
    moderator: object
    items: list = field(default_factory=list)  # per payload: dict of the things made


def _seed(make_user, make_group, add_member) -> Seeded:
    viewer = make_user(display_name="Viewer", email="viewer@example.org")
    moderator = make_user(role=SiteRole.MODERATOR, display_name="Mod", email="mod@example.org")
    seeded = Seeded(viewer, moderator)
    for n, payload in enumerate(PAYLOADS):
        author = make_user(display_name=payload[:40], email=f"author{n}@example.org")
        profile = author.profile
        profile.bio, profile.pronouns, profile.interests = payload, payload[:40], [payload[:40]]
        profile.save()
        group = make_group(name=f"{payload[:70]} {n}", slug=f"xss-{n}", description=payload)
        add_member(group, author, role=MembershipRole.LEADER)
        add_member(group, viewer)
        event = make_event(group, title=payload[:120], description=payload, venue_address=payload,
                           created_by=author, starts_in=timedelta(minutes=30))  # fmt: skip
        make_rsvp(event, viewer)
        Attendance.objects.create(event=event, user=viewer, method=CheckInMethod.SELF)
        Pulse.objects.create(event=event, user=viewer, feeling=3, note_to_organisers=payload)
        idea = idea_propose(actor=author, group=group, title=payload[:120], why=payload)
        IdeaComment.objects.create(idea=idea, author=author, body=payload)
        room = room_for_group(group=group)
        message = Message.objects.create(
            room=room, author=author, body=f"{payload} https://example.org/?q={payload} {payload}"
        )
        with transaction.atomic():
            case = case_report_add(reason="bullying", reporter=viewer, message=message, note=payload).case
        seeded.items.append({"payload": payload, "author": author, "group": group, "event": event, "idea": idea,
                             "room": room, "case": case})  # fmt: skip
    return seeded


def _pages(seeded: Seeded):
    """(who looks, path, payload that must be readable on it)."""
    viewer, moderator = seeded.viewer, seeded.moderator
    yield viewer, "/groups/", None
    yield viewer, "/events/", None
    for item in seeded.items:
        p = item["payload"]
        yield viewer, f"/people/{item['author'].pk}/", p
        yield viewer, f"/groups/{item['group'].slug}/", p
        yield viewer, f"/events/{item['event'].pk}/", p
        yield viewer, f"/events/{item['event'].pk}/pulse/", None  # the note is in the textarea, as its value
        yield viewer, f"/ideas/{item['idea'].pk}/", p
        yield viewer, f"/chat/{item['room'].pk}/", p
        yield moderator, f"/moderation/cases/{item['case'].pk}/", p
        yield item["author"], f"/events/{item['event'].pk}/organise/", None


def _readable(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.django_db(transaction=True)
def test_no_payload_runs_and_each_is_shown_as_text(page, live_server, make_user, make_group, add_member):
    seeded = _seed(make_user, make_group, add_member)
    dialogs, csp = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    context = page.context
    current = None
    problems = []
    for who, path, payload in _pages(seeded):
        if who is not current:
            context.clear_cookies()
            client = Client()
            client.force_login(who)
            cookie = client.cookies["sessionid"]
            context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
            current = who
        response = page.goto(path)
        assert response.status < 400, (path, response.status)
        if path.startswith("/chat/"):  # chat.js redraws every message from the page's data once it starts
            page.locator("#chat-connection:not(:empty)").wait_for()
            assert page.locator("#chat-log a[href^='https://example.org/']").count() == 1, path
        for found in page.evaluate(CHECK):
            problems.append(f"{path}: {found}")
        if payload is not None and _readable(payload) not in _readable(page.inner_text("body")):
            problems.append(f"{path}: the payload isn't shown as text: {payload!r}")
    assert problems == [], "\n".join(problems)
    assert dialogs == []
    assert csp == [], f"the policy had to block something: {csp[:3]}"
