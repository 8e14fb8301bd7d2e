"""Pages of accounts and policies: signing in and out, joining with a code, passwords, the agreement and the privacy
notice. Open pages stay open; signing in again while signed in just shows the form."""

from __future__ import annotations

from tests.reliability.page_rows import DONE, LOGIN, REFUSED
from tests.reliability.page_rows._shared import OPEN, SIGNED_IN, SIGNED_IN_DONE, A, E, G, L, M, O, S


def _login_body(w) -> dict:
    return {"username": w.users[G].email, "password": "a-long-pass-phrase"}


def _reset_confirm(w) -> str:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return f"/password-reset/{urlsafe_base64_encode(force_bytes(w.users[G].pk))}/not-a-real-token/"


ROWS = [
    ("home", "GET", "", lambda w: "/", None, OPEN),
    ("login", "GET", "login/", lambda w: "/login/", None, {**SIGNED_IN_DONE, A: 200}),  # signed in: sent on
    ("login-post", "POST", "login/", lambda w: "/login/", _login_body,
     {A: DONE, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: DONE}),
    ("logout", "POST", "logout/", lambda w: "/logout/", None,
     {A: DONE, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: DONE}),
    ("logout-get", "GET", "logout/", lambda w: "/logout/", None,
     {A: 405, O: 405, G: 405, L: 405, M: 405, S: 405, E: 405}),
    ("join", "GET", "join/", lambda w: "/join/", None, {A: 200, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: DONE}),
    ("join-post", "POST", "join/", lambda w: "/join/", lambda w: {"code": w.invitation.code},
     {A: DONE, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: DONE}),
    ("join-details", "GET", "join/details/", lambda w: "/join/details/", None,
     {A: DONE, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: DONE}),
    ("password-reset", "GET", "password-reset/", lambda w: "/password-reset/", None, OPEN),
    ("password-reset-post", "POST", "password-reset/", lambda w: "/password-reset/",
     lambda w: {"email": w.users[G].email}, {A: DONE, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: DONE}),
    ("password-reset-sent", "GET", "password-reset/sent/", lambda w: "/password-reset/sent/", None, OPEN),
    ("password-reset-confirm", "GET", "password-reset/<uidb64>/<token>/", _reset_confirm, None, OPEN),
    ("password-reset-complete", "GET", "password-reset/done/", lambda w: "/password-reset/done/", None, OPEN),
    ("password-change", "GET", "me/password/", lambda w: "/me/password/", None, SIGNED_IN),
    ("password-change-post", "POST", "me/password/", lambda w: "/me/password/", lambda w: {}, SIGNED_IN),
    ("agreement", "GET", "agreement/", lambda w: "/agreement/", None, OPEN),
    ("privacy-notice", "GET", "privacy/", lambda w: "/privacy/", None, OPEN),
    ("policies-accept", "GET", "me/agreements/", lambda w: "/me/agreements/", None, SIGNED_IN),
    ("policies-accept-post", "POST", "me/agreements/", lambda w: "/me/agreements/", lambda w: {},
     {A: LOGIN, O: REFUSED, G: REFUSED, L: REFUSED, M: REFUSED, S: REFUSED, E: REFUSED}),  # the box not ticked
    ("what-we-keep", "GET", "me/data/what-we-keep/", lambda w: "/me/data/what-we-keep/", None, OPEN),
    ("api-schema", "GET", "api/schema/", lambda w: "/api/schema/", None, OPEN),
    ("healthz", "GET", "healthz", lambda w: "/healthz", None, OPEN),
    ("readyz", "GET", "readyz", lambda w: "/readyz", None, OPEN),
    ("api-docs", "GET", "api/docs/", lambda w: "/api/docs/", None, OPEN),
]  # fmt: skip
