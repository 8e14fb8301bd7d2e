"""Pages of events, ideas and calendar links. The event is Art Club's, by the leader, in 30 minutes: target and
group_member going (group_member checked in), requester asking to come."""

from __future__ import annotations

from tests.reliability.page_rows import DONE, LOGIN, REFUSED
from tests.reliability.page_rows._shared import (
    IN_GROUP,
    LEADS_GROUP,
    OPEN,
    ORGANISES,
    ORGANISES_DONE,
    SEES_EVENT,
    SIGNED_IN,
    SIGNED_IN_DONE,
    A,
    E,
    G,
    L,
    M,
    O,
    S,
    calendar_token_of_member,
)


def ev(w, rest: str = "") -> str:
    return f"/events/{w.event.pk}/{rest}"


def idea(w, rest: str = "") -> str:
    return f"/ideas/{w.idea.pk}/{rest}"


ROWS = [
    ("events", "GET", "events/", lambda w: "/events/", None, SIGNED_IN),
    ("my-events", "GET", "me/events/", lambda w: "/me/events/", None, SIGNED_IN),
    ("event-create", "GET", "groups/<slug:slug>/events/new/", lambda w: "/groups/art-club/events/new/", None,
     LEADS_GROUP),
    ("event-create-post", "POST", "groups/<slug:slug>/events/new/", lambda w: "/groups/art-club/events/new/",
     lambda w: {}, LEADS_GROUP),
    ("group-figures", "GET", "groups/<slug:slug>/figures/", lambda w: "/groups/art-club/figures/", None,
     {A: LOGIN, O: 403, G: 403, L: 200, M: 403, S: 200, E: 200}),
    ("event", "GET", "events/<int:event_id>/", ev, None, SEES_EVENT),
    ("event-rsvp", "POST", "events/<int:event_id>/rsvp/", lambda w: ev(w, "rsvp/"), None,
     {A: LOGIN, O: 404, G: DONE, L: DONE, M: DONE, S: DONE, E: 404}),
    ("event-rsvp-cancel", "POST", "events/<int:event_id>/rsvp/cancel/", lambda w: ev(w, "rsvp/cancel/"), None,
     {A: LOGIN, O: 404, G: REFUSED, L: REFUSED, M: REFUSED, S: REFUSED, E: 404}),
    ("event-edit", "GET", "events/<int:event_id>/edit/", lambda w: ev(w, "edit/"), None, ORGANISES),
    ("event-edit-post", "POST", "events/<int:event_id>/edit/", lambda w: ev(w, "edit/"), lambda w: {}, ORGANISES),
    ("event-cancel", "GET", "events/<int:event_id>/cancel/", lambda w: ev(w, "cancel/"), None, ORGANISES),
    ("event-cancel-post", "POST", "events/<int:event_id>/cancel/", lambda w: ev(w, "cancel/"), lambda w: {}, ORGANISES),
    ("event-organise", "GET", "events/<int:event_id>/organise/", lambda w: ev(w, "organise/"), None, ORGANISES),
    ("event-attendee-approve", "POST", "events/<int:event_id>/organise/<int:user_id>/<slug:action>/",
     lambda w: ev(w, f"organise/{w.requester.pk}/approve/"), None, ORGANISES_DONE),
    ("event-announce", "GET", "events/<int:event_id>/announce/", lambda w: ev(w, "announce/"), None,
     {A: LOGIN, O: 405, G: 405, L: 405, M: 405, S: 405, E: 405}),
    ("event-announce-post", "POST", "events/<int:event_id>/announce/", lambda w: ev(w, "announce/"), lambda w: {},
     ORGANISES),
    ("event-attendees-csv", "GET", "events/<int:event_id>/attendees.csv", lambda w: ev(w, "attendees.csv"), None,
     ORGANISES),
    ("event-checkin", "GET", "events/<int:event_id>/check-in/", lambda w: ev(w, "check-in/"), None, SEES_EVENT),
    ("event-checkin-post", "POST", "events/<int:event_id>/check-in/", lambda w: ev(w, "check-in/"),
     lambda w: {"code": "000000"}, {A: LOGIN, O: 404, G: DONE, L: 200, M: 200, S: 200, E: 404}),
    ("event-checkin-person", "POST", "events/<int:event_id>/check-in/<int:user_id>/<slug:action>/",
     lambda w: ev(w, f"check-in/{w.target.pk}/mark/"), None, ORGANISES_DONE),
    ("event-pulse", "GET", "events/<int:event_id>/pulse/", lambda w: ev(w, "pulse/"), None,
     {A: LOGIN, O: 404, G: 200, L: 409, M: 409, S: 409, E: 404}),
    ("event-pulse-post", "POST", "events/<int:event_id>/pulse/", lambda w: ev(w, "pulse/"), lambda w: {},
     {A: LOGIN, O: 404, G: DONE, L: 409, M: 409, S: 409, E: 404}),
    ("event-pulse-delete", "POST", "events/<int:event_id>/pulse/delete/", lambda w: ev(w, "pulse/delete/"), None,
     {A: LOGIN, O: 404, G: DONE, L: DONE, M: DONE, S: DONE, E: 404}),
    ("event-ics", "GET", "events/<int:event_id>/calendar.ics", lambda w: ev(w, "calendar.ics"), None, SEES_EVENT),
    ("idea-list", "GET", "groups/<slug:slug>/ideas/", lambda w: "/groups/art-club/ideas/", None, IN_GROUP),
    ("idea-list-post", "POST", "groups/<slug:slug>/ideas/", lambda w: "/groups/art-club/ideas/",
     lambda w: {"title": "Bowling"}, {A: LOGIN, O: 403, G: DONE, L: DONE, M: 200, S: 200, E: 403}),
    ("idea", "GET", "ideas/<int:idea_id>/", idea, None, SEES_EVENT),
    ("idea-back", "POST", "ideas/<int:idea_id>/back/", lambda w: idea(w, "back/"), None,
     {A: LOGIN, O: 404, G: DONE, L: DONE, M: REFUSED, S: REFUSED, E: 404}),
    ("idea-unback", "POST", "ideas/<int:idea_id>/unback/", lambda w: idea(w, "unback/"), None,
     {A: LOGIN, O: 404, G: DONE, L: DONE, M: DONE, S: DONE, E: 404}),
    ("idea-comment", "POST", "ideas/<int:idea_id>/comment/", lambda w: idea(w, "comment/"),
     lambda w: {"body": "Count me in"}, {A: LOGIN, O: 404, G: DONE, L: DONE, M: 400, S: DONE, E: 404}),
    ("idea-comment-delete", "POST", "ideas/<int:idea_id>/comments/<int:comment_id>/remove/",
     lambda w: idea(w, f"comments/{w.comment.pk}/remove/"), None,
     {A: LOGIN, O: 404, G: REFUSED, L: DONE, M: DONE, S: DONE, E: 404}),
    ("idea-answer", "POST", "ideas/<int:idea_id>/answer/", lambda w: idea(w, "answer/"),
     lambda w: {"answer": "Yes!"}, {A: LOGIN, O: 404, G: 400, L: DONE, M: 400, S: DONE, E: 404}),
    ("idea-close", "POST", "ideas/<int:idea_id>/close/", lambda w: idea(w, "close/"), lambda w: {"reason": "Done"},
     {A: LOGIN, O: 404, G: 400, L: DONE, M: 400, S: DONE, E: 404}),
    ("idea-to-event", "GET", "ideas/<int:idea_id>/make-event/", lambda w: idea(w, "make-event/"), None, ORGANISES),
    ("idea-to-event-post", "POST", "ideas/<int:idea_id>/make-event/", lambda w: idea(w, "make-event/"),
     lambda w: {}, {A: LOGIN, O: 404, G: 403, L: 400, M: 403, S: 400, E: 404}),
    ("calendar-links", "GET", "calendar/", lambda w: "/calendar/", None, SIGNED_IN),
    ("calendar-personal-make", "POST", "calendar/mine/<slug:action>/", lambda w: "/calendar/mine/make/", None,
     SIGNED_IN_DONE),
    ("calendar-group-make", "POST", "calendar/groups/<slug:slug>/<slug:action>/",
     lambda w: "/calendar/groups/art-club/make/", None,
     {A: LOGIN, O: REFUSED, G: DONE, L: DONE, M: REFUSED, S: REFUSED, E: REFUSED}),
    ("calendar-feed", "GET", "calendar/<str:token>.ics", lambda w: f"/calendar/{calendar_token_of_member(w)}.ics",
     None, OPEN),
]  # fmt: skip
