"""A member's own pages (wellbeing check-ins, consent, destination, dashboard, their data, deleting their account),
support and safeguarding lists, and the programme figures."""

from __future__ import annotations

from tests.reliability.page_rows import DONE, LOGIN, REFUSED
from tests.reliability.page_rows._shared import (
    MODERATORS,
    MODERATORS_DONE,
    NOT_EVALUATORS,
    OPEN,
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


def _contact(w):
    from tests.permission_rows.safeguarding import _contact

    return _contact(w)


def _phrase(w):
    from tests.permission_rows.safeguarding import _phrase

    return _phrase(w)


def _own_checkin(w):
    from tests.permission_rows.wellbeing_checkins import _checkin_of

    return _checkin_of(w, G)


def _own_export(w):
    from tests.permission_rows.data_export import _ready_export_of

    return _ready_export_of(w, G)


ROWS = [
    ("support", "GET", "support/", lambda w: "/support/", None, OPEN),
    ("safeguarding-phrases", "GET", "safeguarding/phrases/", lambda w: "/safeguarding/phrases/", None, MODERATORS),
    ("safeguarding-phrases-post", "POST", "safeguarding/phrases/", lambda w: "/safeguarding/phrases/",
     lambda w: {}, MODERATORS),
    ("safeguarding-phrase", "GET", "safeguarding/phrases/<int:phrase_id>/",
     lambda w: f"/safeguarding/phrases/{_phrase(w).pk}/", None,
     {A: LOGIN, O: 405, G: 405, L: 405, M: 405, S: 405, E: 405}),
    ("safeguarding-phrase-post", "POST", "safeguarding/phrases/<int:phrase_id>/",
     lambda w: f"/safeguarding/phrases/{_phrase(w).pk}/", lambda w: {}, MODERATORS_DONE),
    ("support-contacts", "GET", "safeguarding/contacts/", lambda w: "/safeguarding/contacts/", None, STAFF_ONLY),
    ("support-contacts-post", "POST", "safeguarding/contacts/", lambda w: "/safeguarding/contacts/", lambda w: {},
     STAFF_ONLY),
    ("support-contact-remove", "POST", "safeguarding/contacts/<int:contact_id>/remove/",
     lambda w: f"/safeguarding/contacts/{_contact(w).pk}/remove/", None,
     {A: LOGIN, O: 403, G: 403, L: 403, M: 403, S: DONE, E: 403}),
    ("programme", "GET", "programme/", lambda w: "/programme/", None,
     {A: LOGIN, O: 403, G: 403, L: 403, M: 403, S: 200, E: 200}),
    ("programme-csv", "GET", "programme/<slug:key>.csv", lambda w: "/programme/attendance.csv", None,
     {A: LOGIN, O: 403, G: 403, L: 403, M: 403, S: 200, E: 200}),
    ("wellbeing-checkin", "GET", "me/wellbeing/check-in/", lambda w: "/me/wellbeing/check-in/", None, NOT_EVALUATORS),
    ("wellbeing-checkin-post", "POST", "me/wellbeing/check-in/", lambda w: "/me/wellbeing/check-in/",
     lambda w: {}, {A: LOGIN, O: 400, G: 400, L: 400, M: 400, S: 400, E: 403}),
    ("wellbeing-checkins", "GET", "me/wellbeing/check-ins/", lambda w: "/me/wellbeing/check-ins/", None,
     NOT_EVALUATORS),
    ("wellbeing-checkin-delete", "GET", "me/wellbeing/check-ins/<int:checkin_id>/delete/",
     lambda w: f"/me/wellbeing/check-ins/{_own_checkin(w).pk}/delete/", None,
     {A: LOGIN, O: 404, G: 200, L: 404, M: 404, S: 404, E: 403}),
    ("wellbeing-checkin-delete-post", "POST", "me/wellbeing/check-ins/<int:checkin_id>/delete/",
     lambda w: f"/me/wellbeing/check-ins/{_own_checkin(w).pk}/delete/", None,
     {A: LOGIN, O: 404, G: DONE, L: 404, M: 404, S: 404, E: 403}),
    ("wellbeing-invitations", "POST", "me/wellbeing/invitations/", lambda w: "/me/wellbeing/invitations/",
     lambda w: {"invitations_on": "off"}, {A: LOGIN, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: 403}),
    ("wellbeing-consent", "GET", "me/consent/", lambda w: "/me/consent/", None, NOT_EVALUATORS),
    ("wellbeing-consent-post", "POST", "me/consent/", lambda w: "/me/consent/", lambda w: {}, NOT_EVALUATORS),
    ("my-destination", "GET", "me/destination/", lambda w: "/me/destination/", None, NOT_EVALUATORS),
    ("my-destination-action", "POST", "me/destination/<slug:action>/", lambda w: "/me/destination/goal-add/",
     lambda w: {"area": "job", "title": "Find a weekend job"},
     {A: LOGIN, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: REFUSED}),
    ("my-activity", "GET", "me/doing-now/", lambda w: "/me/doing-now/", None, NOT_EVALUATORS),
    ("my-activity-post", "POST", "me/doing-now/", lambda w: "/me/doing-now/", lambda w: {"clear": "1"},
     {A: LOGIN, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: 403}),
    ("my-dashboard", "GET", "me/dashboard/", lambda w: "/me/dashboard/", None, NOT_EVALUATORS),
    ("account-delete", "GET", "me/data/delete/", lambda w: "/me/data/delete/", None, SIGNED_IN),
    ("account-delete-post", "POST", "me/data/delete/", lambda w: "/me/data/delete/",
     lambda w: {"password": "not-the-password"}, SIGNED_IN),
    ("account-deleted", "GET", "goodbye/", lambda w: "/goodbye/", None, OPEN),
    ("my-data", "GET", "me/data/", lambda w: "/me/data/", None, SIGNED_IN),
    ("data-export-request", "POST", "me/data/exports/", lambda w: "/me/data/exports/", None, SIGNED_IN_DONE),
    ("data-export-download", "GET", "me/data/exports/<int:export_id>/download/",
     lambda w: f"/me/data/exports/{_own_export(w).pk}/download/", None,
     {A: LOGIN, O: 404, G: 200, L: 404, M: 404, S: 404, E: 404}),
]  # fmt: skip
