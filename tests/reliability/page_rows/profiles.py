"""Pages of profiles, privacy settings, blocking and muting, and staff's list of people and their roles."""

from __future__ import annotations

from tests.reliability.page_rows import DONE, LOGIN, REFUSED
from tests.reliability.page_rows._shared import (
    SEEN_IN_GROUP,
    SIGNED_IN,
    SIGNED_IN_DONE,
    STAFF_ONLY,
    A,
    E,
    G,
    L,
    M,
    O,
    S,
    avatar_of_target,
)


def _person(w, rest: str = "") -> str:
    return f"/people/{w.target.pk}/{rest}"


ROWS = [
    ("profile-edit", "GET", "me/", lambda w: "/me/", None, SIGNED_IN),
    ("profile-edit-post", "POST", "me/", lambda w: "/me/", lambda w: {}, SIGNED_IN),
    ("avatar-remove", "POST", "me/avatar/remove/", lambda w: "/me/avatar/remove/", None, SIGNED_IN_DONE),
    ("privacy-settings", "GET", "me/privacy/", lambda w: "/me/privacy/", None, SIGNED_IN),
    ("privacy-settings-post", "POST", "me/privacy/", lambda w: "/me/privacy/", lambda w: {}, SIGNED_IN),
    ("turned-18", "POST", "me/privacy/turned-18/", lambda w: "/me/privacy/turned-18/", None, SIGNED_IN_DONE),
    ("person", "GET", "people/<int:user_id>/", _person, None, SEEN_IN_GROUP),
    ("avatar", "GET", "people/<int:user_id>/avatar/", lambda w: _person(avatar_of_target(w) and w, "avatar/"), None,
     {A: 404, O: 404, G: 200, L: 200, M: 200, S: 200, E: 404}),
    ("staff-people", "GET", "staff/people/", lambda w: "/staff/people/", None, STAFF_ONLY),
    ("staff-person-role", "GET", "staff/people/<int:user_id>/role/", lambda w: f"/staff/people/{w.target.pk}/role/",
     None, {A: LOGIN, O: 405, G: 405, L: 405, M: 405, S: 405, E: 405}),
    ("staff-person-role-post", "POST", "staff/people/<int:user_id>/role/",
     lambda w: f"/staff/people/{w.target.pk}/role/", lambda w: {"site_role": "moderator"},
     {A: LOGIN, O: 403, G: 403, L: 403, M: 403, S: DONE, E: 403}),
    ("personal-controls", "GET", "me/people/", lambda w: "/me/people/", None, SIGNED_IN),
    ("person-block", "POST", "people/<int:user_id>/block/", lambda w: _person(w, "block/"), None,
     {A: LOGIN, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: REFUSED}),
    ("person-unblock", "POST", "people/<int:user_id>/unblock/", lambda w: _person(w, "unblock/"), None,
     {A: LOGIN, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: REFUSED}),
    ("person-mute", "POST", "people/<int:user_id>/mute/", lambda w: _person(w, "mute/"), None,
     {A: LOGIN, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: REFUSED}),
    ("person-unmute", "POST", "people/<int:user_id>/unmute/", lambda w: _person(w, "unmute/"), None,
     {A: LOGIN, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: REFUSED}),
]  # fmt: skip
