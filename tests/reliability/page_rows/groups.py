"""Pages of groups, invitations and notifications."""

from __future__ import annotations

from tests.reliability.page_rows import DONE, LOGIN, REFUSED
from tests.reliability.page_rows._shared import (
    LEADS_GROUP,
    LEADS_GROUP_DONE,
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
)

GROUP = "/groups/art-club"

ROWS = [
    ("group-list", "GET", "groups/", lambda w: "/groups/", None, SIGNED_IN),
    ("group-create", "GET", "groups/new/", lambda w: "/groups/new/", None, STAFF_ONLY),
    ("group-create-post", "POST", "groups/new/", lambda w: "/groups/new/", lambda w: {}, STAFF_ONLY),
    ("group", "GET", "groups/<slug:slug>/", lambda w: f"{GROUP}/", None, SIGNED_IN),
    ("group-edit", "GET", "groups/<slug:slug>/edit/", lambda w: f"{GROUP}/edit/", None, LEADS_GROUP),
    ("group-edit-post", "POST", "groups/<slug:slug>/edit/", lambda w: f"{GROUP}/edit/", lambda w: {}, LEADS_GROUP),
    ("group-join", "POST", "groups/<slug:slug>/join/", lambda w: f"{GROUP}/join/", None,
     {A: LOGIN, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: REFUSED}),
    ("group-leave", "POST", "groups/<slug:slug>/leave/", lambda w: f"{GROUP}/leave/", None, SIGNED_IN_DONE),
    ("group-members", "GET", "groups/<slug:slug>/members/", lambda w: f"{GROUP}/members/", None, LEADS_GROUP),
    ("group-member-approve", "GET", "groups/<slug:slug>/members/<int:user_id>/<slug:action>/",
     lambda w: f"{GROUP}/members/{w.asker.pk}/approve/", None, LEADS_GROUP),
    ("group-member-approve-post", "POST", "groups/<slug:slug>/members/<int:user_id>/<slug:action>/",
     lambda w: f"{GROUP}/members/{w.asker.pk}/approve/", None, LEADS_GROUP_DONE),
    ("group-member-promote-post", "POST", "groups/<slug:slug>/members/<int:user_id>/<slug:action>/",
     lambda w: f"{GROUP}/members/{w.target.pk}/promote/", None,
     {A: LOGIN, O: 403, G: 403, L: REFUSED, M: 403, S: DONE, E: 403}),
    ("invitations", "GET", "invitations/", lambda w: "/invitations/", None, SIGNED_IN),
    ("invitations-post", "POST", "invitations/", lambda w: "/invitations/", lambda w: {"group": w.group.pk}, SIGNED_IN),
    ("invitation", "GET", "invitations/<int:invitation_id>/", lambda w: f"/invitations/{w.invitation.pk}/", None,
     {A: LOGIN, O: 404, G: 404, L: 200, M: 404, S: 200, E: 404}),
    ("invitation-revoke", "POST", "invitations/<int:invitation_id>/revoke/",
     lambda w: f"/invitations/{w.invitation.pk}/revoke/", None,
     {A: LOGIN, O: 404, G: 404, L: DONE, M: 404, S: DONE, E: 404}),
    ("notifications", "GET", "notifications/", lambda w: "/notifications/", None, SIGNED_IN),
    ("notification-open", "GET", "notifications/<int:notification_id>/open/",
     lambda w: f"/notifications/{w.notification.pk}/open/", None,
     {A: LOGIN, O: 405, G: 405, L: 405, M: 405, S: 405, E: 405}),
    ("notification-open-post", "POST", "notifications/<int:notification_id>/open/",
     lambda w: f"/notifications/{w.notification.pk}/open/", None,
     {A: LOGIN, O: REFUSED, G: DONE, L: REFUSED, M: REFUSED, S: REFUSED, E: REFUSED}),
    ("notifications-read-all", "POST", "notifications/read-all/", lambda w: "/notifications/read-all/", None,
     SIGNED_IN_DONE),
    ("notification-settings", "GET", "notifications/settings/", lambda w: "/notifications/settings/", None, SIGNED_IN),
    ("notification-settings-post", "POST", "notifications/settings/", lambda w: "/notifications/settings/",
     lambda w: {}, SIGNED_IN),
]  # fmt: skip
