"""The admin: its index, each app's page, and every registered model's list, made from the admin's own registry so a
new model admin gets its rows. Staff only; everyone else is sent to the admin's sign-in page (which is open)."""

from __future__ import annotations

from django.contrib import admin

from tests.reliability.page_rows import DONE, LOGIN
from tests.reliability.page_rows._shared import A, E, G, L, M, O, S

STAFF_ADMIN = {A: LOGIN, O: LOGIN, G: LOGIN, L: LOGIN, M: LOGIN, S: 200, E: LOGIN}
# Staff aren't superusers: Django's own groups and permissions, and API tokens, stay out of their reach.
SUPERUSERS_ONLY = {**STAFF_ADMIN, S: 403}
NOTHING_FOR_STAFF = {**STAFF_ADMIN, S: 404}
NOT_STAFFS = {"auth.group", "authtoken.tokenproxy"}


def _model_rows() -> list[tuple]:
    rows = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        base = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        expected = SUPERUSERS_ONLY if model._meta.label_lower in NOT_STAFFS else STAFF_ADMIN
        name = f"admin-{model._meta.label_lower}"
        rows.append((name, "GET", base, lambda w, base=base: f"/{base}", None, expected))
    return rows


ADMIN_APPS = sorted({model._meta.app_label for model in admin.site._registry})

ROWS = [
    ("admin-index", "GET", "admin/", lambda w: "/admin/", None, STAFF_ADMIN),
    ("admin-login", "GET", "admin/login/", lambda w: "/admin/login/", None,
     {A: 200, O: 200, G: 200, L: 200, M: 200, S: DONE, E: 200}),
    *[(f"admin-app-{app}", "GET", "admin/<app_label>/", lambda w, app=app: f"/admin/{app}/", None,
       NOTHING_FOR_STAFF if app in ("auth", "authtoken") else STAFF_ADMIN) for app in ADMIN_APPS],
    ("admin-logout", "POST", "admin/logout/", lambda w: "/admin/logout/", None,
     {A: DONE, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: DONE}),
    ("admin-password-change", "GET", "admin/password_change/", lambda w: "/admin/password_change/", None, STAFF_ADMIN),
    ("admin-password-change-done", "GET", "admin/password_change/done/", lambda w: "/admin/password_change/done/",
     None, STAFF_ADMIN),
    ("admin-autocomplete", "GET", "admin/autocomplete/", lambda w: "/admin/autocomplete/", None,
     {A: LOGIN, O: LOGIN, G: LOGIN, L: LOGIN, M: LOGIN, S: 403, E: LOGIN}),
    ("admin-jsi18n", "GET", "admin/jsi18n/", lambda w: "/admin/jsi18n/", None, STAFF_ADMIN),
    ("admin-view-on-site", "GET", "admin/r/<path:content_type_id>/<path:object_id>/",
     lambda w: f"/admin/r/1/{w.target.pk}/", None,
     {A: LOGIN, O: LOGIN, G: LOGIN, L: LOGIN, M: LOGIN, S: 404, E: LOGIN}),
    ("admin-catch-all", "GET", "admin/(?P<url>.*)$", lambda w: "/admin/no-such-page/", None,
     {A: LOGIN, O: LOGIN, G: LOGIN, L: LOGIN, M: LOGIN, S: 404, E: LOGIN}),
    ("admin-person-change", "GET", "admin/community/user/<path:object_id>/change/",
     lambda w: f"/admin/community/user/{w.target.pk}/change/", None, STAFF_ADMIN),
    *_model_rows(),
]  # fmt: skip
