"""Every API endpoint x every role: who may do what, in one table.

A test also walks the URL configuration and fails when an endpoint under /api/v1/ is missing from this table, so a
new endpoint cannot ship without its row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from community.models import (
    Invitation,
    MembershipRole,
    MembershipStatus,
    Notification,
    SiteRole,
)
from events.checkin_codes import current_code
from events.models import Attendance, CheckInMethod, Event, Idea, IdeaComment, RsvpStatus
from events.services.ideas import idea_comment, idea_propose
from tests import permission_rows
from tests.events.domain_factories import make_event, make_rsvp

ROLES = ["anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"]


@dataclass
class World:
    users: dict
    group: object
    asker: object
    target: object
    invitation: Invitation
    notification: Notification
    event: Event  # art-club's, by the leader, in 30 minutes: target going, group_member here
    later_event: Event  # in three days: group_member going
    requester: object  # an art-club member asking to come to `event`
    idea: Idea  # proposed by target
    comment: IdeaComment  # by target, on `idea`


@pytest.fixture
def world(make_user, make_group, add_member) -> World:
    group = make_group(name="Art Club", slug="art-club")
    users = {
        "outsider": make_user(display_name="Outsider"),
        "group_member": make_user(display_name="Groupie"),
        "leader": make_user(display_name="Leader"),
        "moderator": make_user(role=SiteRole.MODERATOR, display_name="Moderator"),
        "staff": make_user(role=SiteRole.STAFF, display_name="Staffer"),
        "evaluator": make_user(role=SiteRole.EVALUATOR, display_name="Evaluator"),
    }
    add_member(group, users["group_member"])
    add_member(group, users["leader"], role=MembershipRole.LEADER)
    asker = make_user(display_name="Asker")
    add_member(group, asker, status=MembershipStatus.PENDING)
    target = make_user(display_name="Target")
    add_member(group, target)
    invitation = Invitation.objects.create(
        code="HN-ABCDEFGH", created_by=users["leader"], group=group, max_uses=5,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )  # fmt: skip
    notification = Notification.objects.create(user=users["group_member"], kind="welcome", title="Hello")
    event = make_event(
        group, title="Pizza night", created_by=users["leader"], starts_in=timedelta(minutes=30),
        venue_address="12 Secret Street",
    )  # fmt: skip
    make_rsvp(event, target)
    make_rsvp(event, users["group_member"])
    Attendance.objects.create(event=event, user=users["group_member"], method=CheckInMethod.SELF)
    requester = make_user(display_name="Requester")
    add_member(group, requester)
    make_rsvp(event, requester, RsvpStatus.PENDING)
    later_event = make_event(group, title="Board games", created_by=users["leader"], starts_in=timedelta(days=3))
    make_rsvp(later_event, users["group_member"])
    idea = idea_propose(actor=target, group=group, title="Bowling night")
    comment = idea_comment(actor=target, idea=idea, body="Who's in?")
    return World(
        users, group, asker, target, invitation, notification, event, later_event, requester, idea, comment
    )  # fmt: skip


def event_body(w: World) -> dict:
    start = timezone.localtime(timezone.now() + timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0)
    return {"title": "Pizza night", "category": "social", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat()}  # fmt: skip


def signup_body(w: World) -> dict:
    return {
        "code": w.invitation.code, "display_name": "Newcomer", "email": "new@example.org",
        "password": "a-long-pass-phrase", "age_band": "18_25", "is_care_experienced": True, "accepts_agreement": True,
    }  # fmt: skip


# (name, method, route pattern, url(w), body(w), {role: expected status})
A, O, G, L, M, S, E = ROLES  # noqa: E741 - one letter per role keeps the table readable

ALL_IN = {A: 401, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}
STAFF_ONLY = {A: 401, O: 403, G: 403, L: 403, M: 403, S: 200, E: 403}
GROUP = "/api/v1/groups/art-club"
# Events: seen by the group's members, moderators and staff; organised by its peer leaders and staff.
SEES_EVENT = {A: 401, O: 404, G: 200, L: 200, M: 200, S: 200, E: 404}
ORGANISES = {A: 401, O: 404, G: 403, L: 200, M: 403, S: 200, E: 404}
# Chat: a group's room is read by its members, moderators and staff; a conversation only by the two people in it.
IN_ROOM = {A: 401, O: 403, G: 200, L: 200, M: 200, S: 200, E: 403}
IN_CONVERSATION = {A: 401, O: 404, G: 200, L: 404, M: 404, S: 404, E: 404}
# Ideas: shared inside the group; answered by its peer leaders and staff.
SEES_IDEA = {A: 401, O: 404, G: 200, L: 200, M: 200, S: 200, E: 404}
LEADS_IDEA = {A: 401, O: 404, G: 403, L: 200, M: 403, S: 200, E: 404}
# A group's calendar feed is for its active members.
GROUP_CALENDAR = {A: 401, O: 403, G: 200, L: 200, M: 403, S: 403, E: 403}


def ev(w: World, rest: str = "") -> str:
    return f"/api/v1/events/{w.event.pk}/{rest}"


def idea_url(w: World, rest: str = "") -> str:
    return f"/api/v1/ideas/{w.idea.pk}/{rest}"


def chat(w: World) -> dict:
    """Art Club's chat room with a message by group_member and one by target, and a conversation request from target
    to group_member. Made the first time a chat row asks (and kept on the world)."""
    if "_chat" not in w.__dict__:
        from messaging.models import Message
        from messaging.services.direct import direct_room_open
        from messaging.services.rooms import room_for_group

        room = room_for_group(group=w.group)
        member = w.users["group_member"]
        w.__dict__["_chat"] = {
            "room": room,
            "own": Message.objects.create(room=room, author=member, body="Mine"),
            "theirs": Message.objects.create(room=room, author=w.target, body="Theirs"),
            "request": direct_room_open(actor=w.target, user_id=member.pk).room,
        }
    return w.__dict__["_chat"]


def room_url(w: World, rest: str = "") -> str:
    return f"/api/v1/rooms/{chat(w)['room'].pk}/{rest}"


MATRIX = [
    ("signup", "POST", "api/v1/auth/signup/", lambda w: "/api/v1/auth/signup/", signup_body,
     {A: 201, O: 201, G: 201, L: 201, M: 201, S: 201, E: 201}),
    ("token-obtain", "POST", "api/v1/auth/token/", lambda w: "/api/v1/auth/token/",
     lambda w: {"email": w.users["group_member"].email, "password": "a-long-pass-phrase"},
     {r: 200 for r in ROLES}),
    ("token-revoke", "DELETE", "api/v1/auth/token/", lambda w: "/api/v1/auth/token/", None,
     {**{r: 204 for r in ROLES}, A: 401}),
    ("me", "GET", "api/v1/me/", lambda w: "/api/v1/me/", None, ALL_IN),
    ("me-update", "PATCH", "api/v1/me/", lambda w: "/api/v1/me/", lambda w: {"pronouns": "they/them"}, ALL_IN),
    ("avatar-set-as-json", "PUT", "api/v1/me/avatar/", lambda w: "/api/v1/me/avatar/", lambda w: {},
     {**{r: 415 for r in ROLES}, A: 401}),
    ("avatar-remove", "DELETE", "api/v1/me/avatar/", lambda w: "/api/v1/me/avatar/", None,
     {**{r: 204 for r in ROLES}, A: 401}),
    ("people", "GET", "api/v1/people/", lambda w: "/api/v1/people/", None, STAFF_ONLY),
    ("person", "GET", "api/v1/people/<int:user_id>/", lambda w: f"/api/v1/people/{w.target.pk}/", None,
     {A: 401, O: 404, G: 200, L: 200, M: 200, S: 200, E: 404}),
    ("person-role", "POST", "api/v1/people/<int:user_id>/role/", lambda w: f"/api/v1/people/{w.target.pk}/role/",
     lambda w: {"site_role": "moderator"}, STAFF_ONLY),
    ("groups", "GET", "api/v1/groups/", lambda w: "/api/v1/groups/", None, ALL_IN),
    ("group-create", "POST", "api/v1/groups/", lambda w: "/api/v1/groups/", lambda w: {"name": "Walking Club"},
     {**STAFF_ONLY, S: 201}),
    ("group", "GET", "api/v1/groups/<slug:slug>/", lambda w: f"{GROUP}/", None, ALL_IN),
    ("group-update", "PATCH", "api/v1/groups/<slug:slug>/", lambda w: f"{GROUP}/", lambda w: {"description": "Art!"},
     {A: 401, O: 403, G: 403, L: 200, M: 403, S: 200, E: 403}),
    ("group-join", "POST", "api/v1/groups/<slug:slug>/join/", lambda w: f"{GROUP}/join/", None,
     {**ALL_IN, E: 403}),
    ("group-leave", "POST", "api/v1/groups/<slug:slug>/leave/", lambda w: f"{GROUP}/leave/", None,
     {**{r: 204 for r in ROLES}, A: 401}),
    ("group-members", "GET", "api/v1/groups/<slug:slug>/members/", lambda w: f"{GROUP}/members/", None,
     {A: 401, O: 403, G: 200, L: 200, M: 200, S: 200, E: 403}),
    ("group-member-add", "POST", "api/v1/groups/<slug:slug>/members/", lambda w: f"{GROUP}/members/",
     lambda w: {"user_id": w.users["outsider"].pk},
     {A: 401, O: 403, G: 403, L: 200, M: 403, S: 200, E: 403}),
    ("group-member-approve", "POST", "api/v1/groups/<slug:slug>/members/<int:user_id>/<slug:action>/",
     lambda w: f"{GROUP}/members/{w.asker.pk}/approve/", None,
     {A: 401, O: 403, G: 403, L: 200, M: 403, S: 200, E: 403}),
    ("group-member-promote", "POST", "api/v1/groups/<slug:slug>/members/<int:user_id>/<slug:action>/",
     lambda w: f"{GROUP}/members/{w.target.pk}/promote/", None, STAFF_ONLY),
    ("invitations", "GET", "api/v1/invitations/", lambda w: "/api/v1/invitations/", None, ALL_IN),
    ("invitation-create", "POST", "api/v1/invitations/", lambda w: "/api/v1/invitations/",
     lambda w: {"group": w.group.pk}, {A: 401, O: 403, G: 403, L: 201, M: 403, S: 201, E: 403}),
    ("invitation-check", "POST", "api/v1/invitations/check/", lambda w: "/api/v1/invitations/check/",
     lambda w: {"code": w.invitation.code}, {r: 200 for r in ROLES}),
    ("invitation", "GET", "api/v1/invitations/<int:invitation_id>/",
     lambda w: f"/api/v1/invitations/{w.invitation.pk}/", None,
     {A: 401, O: 404, G: 404, L: 200, M: 404, S: 200, E: 404}),
    ("invitation-revoke", "POST", "api/v1/invitations/<int:invitation_id>/revoke/",
     lambda w: f"/api/v1/invitations/{w.invitation.pk}/revoke/", None,
     {A: 401, O: 404, G: 404, L: 200, M: 404, S: 200, E: 404}),
    ("notifications", "GET", "api/v1/notifications/", lambda w: "/api/v1/notifications/", None, ALL_IN),
    ("notifications-unread", "GET", "api/v1/notifications/unread-count/",
     lambda w: "/api/v1/notifications/unread-count/", None, ALL_IN),
    ("notification-read", "POST", "api/v1/notifications/<int:notification_id>/read/",
     lambda w: f"/api/v1/notifications/{w.notification.pk}/read/", None,
     {A: 401, O: 404, G: 200, L: 404, M: 404, S: 404, E: 404}),
    ("notifications-read-all", "POST", "api/v1/notifications/read-all/",
     lambda w: "/api/v1/notifications/read-all/", None, ALL_IN),
    ("notification-preferences", "GET", "api/v1/notifications/preferences/",
     lambda w: "/api/v1/notifications/preferences/", None, ALL_IN),
    ("notification-preferences-update", "PUT", "api/v1/notifications/preferences/",
     lambda w: "/api/v1/notifications/preferences/",
     lambda w: {"kinds": [{"key": "welcome", "email": True}], "quiet_hours_start": None, "quiet_hours_end": None},
     ALL_IN),
    # events
    ("events", "GET", "api/v1/events/", lambda w: "/api/v1/events/", None, ALL_IN),
    ("group-events", "GET", "api/v1/groups/<slug:slug>/events/", lambda w: f"{GROUP}/events/", None, ALL_IN),
    ("group-event-create", "POST", "api/v1/groups/<slug:slug>/events/", lambda w: f"{GROUP}/events/", event_body,
     {A: 401, O: 403, G: 403, L: 201, M: 403, S: 201, E: 403}),
    ("event", "GET", "api/v1/events/<int:event_id>/", ev, None, SEES_EVENT),
    ("event-update", "PATCH", "api/v1/events/<int:event_id>/", ev, lambda w: {"title": "Pizza and games"},
     ORGANISES),
    ("event-cancel", "POST", "api/v1/events/<int:event_id>/cancel/", lambda w: ev(w, "cancel/"),
     lambda w: {"reason": "The venue flooded"}, ORGANISES),
    ("event-rsvp", "POST", "api/v1/events/<int:event_id>/rsvp/", lambda w: ev(w, "rsvp/"), None, SEES_EVENT),
    ("event-rsvp-cancel", "DELETE", "api/v1/events/<int:event_id>/rsvp/",
     lambda w: f"/api/v1/events/{w.later_event.pk}/rsvp/", None,
     {A: 401, O: 404, G: 200, L: 404, M: 404, S: 404, E: 404}),  # only group_member said they're going
    ("event-attendees", "GET", "api/v1/events/<int:event_id>/attendees/", lambda w: ev(w, "attendees/"), None,
     ORGANISES),
    ("event-attendee-approve", "POST", "api/v1/events/<int:event_id>/attendees/<int:user_id>/<slug:action>/",
     lambda w: ev(w, f"attendees/{w.requester.pk}/approve/"), None, ORGANISES),
    ("event-attendee-check-in", "POST", "api/v1/events/<int:event_id>/attendees/<int:user_id>/<slug:action>/",
     lambda w: ev(w, f"attendees/{w.target.pk}/check-in/"), None, ORGANISES),
    ("event-announce", "POST", "api/v1/events/<int:event_id>/announce/", lambda w: ev(w, "announce/"),
     lambda w: {"message": "We're in room 2"}, ORGANISES),
    ("event-attendees-csv", "GET", "api/v1/events/<int:event_id>/attendees.csv", lambda w: ev(w, "attendees.csv"),
     None, ORGANISES),
    ("event-check-in-code", "GET", "api/v1/events/<int:event_id>/check-in-code/", lambda w: ev(w, "check-in-code/"),
     None, ORGANISES),
    ("event-self-check-in", "POST", "api/v1/events/<int:event_id>/check-in/", lambda w: ev(w, "check-in/"),
     lambda w: {"code": current_code(w.event.pk)},
     {A: 401, O: 404, G: 200, L: 409, M: 409, S: 409, E: 404}),  # only people going check in
    ("event-pulse", "POST", "api/v1/events/<int:event_id>/pulse/", lambda w: ev(w, "pulse/"),
     lambda w: {"feeling": 4}, {A: 401, O: 404, G: 200, L: 409, M: 409, S: 409, E: 404}),  # after checking in
    ("event-pulse-delete", "DELETE", "api/v1/events/<int:event_id>/pulse/", lambda w: ev(w, "pulse/"), None,
     {A: 401, O: 404, G: 204, L: 204, M: 204, S: 204, E: 404}),  # your own answers; none is fine
    # ideas
    ("group-ideas", "GET", "api/v1/groups/<slug:slug>/ideas/", lambda w: f"{GROUP}/ideas/", None,
     {A: 401, O: 403, G: 200, L: 200, M: 200, S: 200, E: 403}),
    ("group-idea-create", "POST", "api/v1/groups/<slug:slug>/ideas/", lambda w: f"{GROUP}/ideas/",
     lambda w: {"title": "Bowling"}, {A: 401, O: 403, G: 201, L: 201, M: 403, S: 403, E: 403}),
    ("idea", "GET", "api/v1/ideas/<int:idea_id>/", idea_url, None, SEES_IDEA),
    ("idea-back", "POST", "api/v1/ideas/<int:idea_id>/backing/", lambda w: idea_url(w, "backing/"), None,
     {A: 401, O: 404, G: 200, L: 200, M: 403, S: 403, E: 404}),
    ("idea-unback", "DELETE", "api/v1/ideas/<int:idea_id>/backing/", lambda w: idea_url(w, "backing/"), None,
     SEES_IDEA),
    ("idea-comments", "GET", "api/v1/ideas/<int:idea_id>/comments/", lambda w: idea_url(w, "comments/"), None,
     SEES_IDEA),
    ("idea-comment-create", "POST", "api/v1/ideas/<int:idea_id>/comments/", lambda w: idea_url(w, "comments/"),
     lambda w: {"body": "Count me in"}, {A: 401, O: 404, G: 201, L: 201, M: 403, S: 201, E: 404}),
    ("idea-comment-delete", "DELETE", "api/v1/ideas/<int:idea_id>/comments/<int:comment_id>/",
     lambda w: idea_url(w, f"comments/{w.comment.pk}/"), None,
     {A: 401, O: 404, G: 403, L: 204, M: 204, S: 204, E: 404}),
    ("idea-answer", "POST", "api/v1/ideas/<int:idea_id>/answer/", lambda w: idea_url(w, "answer/"),
     lambda w: {"answer": "Yes!"}, LEADS_IDEA),
    ("idea-close", "POST", "api/v1/ideas/<int:idea_id>/close/", lambda w: idea_url(w, "close/"),
     lambda w: {"reason": "Done"}, LEADS_IDEA),
    ("idea-to-event", "POST", "api/v1/ideas/<int:idea_id>/event/", lambda w: idea_url(w, "event/"), event_body,
     {**LEADS_IDEA, L: 201, S: 201}),
    # calendar links
    ("calendar-links", "GET", "api/v1/calendar/links/", lambda w: "/api/v1/calendar/links/", None, ALL_IN),
    ("calendar-link-mine", "POST", "api/v1/calendar/links/mine/", lambda w: "/api/v1/calendar/links/mine/", None,
     ALL_IN),
    ("calendar-link-mine-off", "DELETE", "api/v1/calendar/links/mine/", lambda w: "/api/v1/calendar/links/mine/",
     None, {**{r: 204 for r in ROLES}, A: 401}),
    ("calendar-link-mine-reset", "POST", "api/v1/calendar/links/mine/reset/",
     lambda w: "/api/v1/calendar/links/mine/reset/", None, ALL_IN),
    ("calendar-link-group", "POST", "api/v1/groups/<slug:slug>/calendar-link/", lambda w: f"{GROUP}/calendar-link/",
     None, GROUP_CALENDAR),
    ("calendar-link-group-off", "DELETE", "api/v1/groups/<slug:slug>/calendar-link/",
     lambda w: f"{GROUP}/calendar-link/", None, {**GROUP_CALENDAR, G: 204, L: 204}),
    ("calendar-link-group-reset", "POST", "api/v1/groups/<slug:slug>/calendar-link/reset/",
     lambda w: f"{GROUP}/calendar-link/reset/", None, GROUP_CALENDAR),
    # chat
    ("chat-rooms", "GET", "api/v1/rooms/", lambda w: "/api/v1/rooms/", None, ALL_IN),
    ("chat-messages", "GET", "api/v1/rooms/<int:room_id>/messages/", lambda w: room_url(w, "messages/"), None,
     IN_ROOM),
    ("chat-message-send", "POST", "api/v1/rooms/<int:room_id>/messages/", lambda w: room_url(w, "messages/"),
     lambda w: {"body": "Hello all", "client_id": "matrix-1"}, {**IN_ROOM, G: 201, L: 201, M: 201, S: 201}),
    ("chat-read", "POST", "api/v1/rooms/<int:room_id>/read/", lambda w: room_url(w, "read/"),
     lambda w: {"message": chat(w)["theirs"].pk}, IN_ROOM),
    ("chat-message-edit", "PATCH", "api/v1/messages/<int:message_id>/",
     lambda w: f"/api/v1/messages/{chat(w)['own'].pk}/", lambda w: {"body": "Mine, edited"},
     {A: 401, O: 404, G: 200, L: 403, M: 403, S: 403, E: 404}),  # only the author
    ("chat-message-delete", "DELETE", "api/v1/messages/<int:message_id>/",
     lambda w: f"/api/v1/messages/{chat(w)['own'].pk}/", None,
     {A: 401, O: 404, G: 204, L: 403, M: 403, S: 403, E: 404}),
    ("chat-reaction", "POST", "api/v1/messages/<int:message_id>/reactions/",
     lambda w: f"/api/v1/messages/{chat(w)['theirs'].pk}/reactions/", lambda w: {"emoji": "👍"},
     {**IN_ROOM, O: 404, E: 404}),
    ("chat-direct-open", "POST", "api/v1/direct/", lambda w: "/api/v1/direct/",
     lambda w: {"user_id": chat(w)["request"].requested_by_id},  # target, who already asked group_member
     {A: 401, O: 404, G: 200, L: 201, M: 201, S: 201, E: 403}),
    ("chat-direct-accept", "POST", "api/v1/direct/<int:room_id>/accept/",
     lambda w: f"/api/v1/direct/{chat(w)['request'].pk}/accept/", None, IN_CONVERSATION),
    ("chat-direct-decline", "POST", "api/v1/direct/<int:room_id>/decline/",
     lambda w: f"/api/v1/direct/{chat(w)['request'].pk}/decline/", None, IN_CONVERSATION),
]  # fmt: skip
MATRIX += permission_rows.collect()


def _api_routes() -> set[tuple[str, str]]:
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.callback

    found = set()
    for route, callback in walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/"):
            continue
        view = getattr(callback, "cls", None)
        for method in ("get", "post", "put", "patch", "delete"):
            if view is not None and hasattr(view, method):
                found.add((method.upper(), route))
    return found


def test_every_api_endpoint_is_in_the_matrix():
    covered = {(method, route) for _, method, route, *_ in MATRIX}
    missing = sorted(_api_routes() - covered)
    assert missing == [], f"add these endpoints to the permission matrix: {missing}"


def _client_for(role: str, w: World) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(user=w.users[role])
    return client


CASES = [(name, role) for name, *_rest in MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
@pytest.mark.django_db
def test_permission_matrix(world, name, role):
    _, method, _, url, body, expected = next(row for row in MATRIX if row[0] == name)
    client = _client_for(role, world)
    response = getattr(client, method.lower())(url(world), body(world) if body else None, format="json")
    want = expected[role]
    assert response.status_code == want, (response.status_code, getattr(response, "data", None))
    if want >= 400:
        assert set(response.json()) >= {"code", "detail"}
    if name == "invitations" and role not in (A, L, S):
        assert response.json()["results"] == [], "only the creator and staff see an invitation"
