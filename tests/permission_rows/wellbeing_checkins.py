"""Permission rows for wellbeing check-ins, consent and the invitation setting (/api/v1/me/checkins/,
/api/v1/me/consent/, /api/v1/me/wellbeing-settings/). Each person reaches only their own records: Target's check-in is
not found for everyone else, and evaluators, who only ever see aggregates, reach no one's (not even a list)."""

from __future__ import annotations

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741

OWN = {A: 401, O: 200, G: 200, L: 200, M: 200, S: 200, E: 403}
RECORD = {A: 401, O: 201, G: 201, L: 201, M: 201, S: 201, E: 403}
SOMEONE_ELSES = {A: 401, O: 404, G: 404, L: 404, M: 404, S: 404, E: 403}
GROUP_MEMBERS_OWN = {A: 401, O: 404, G: 200, L: 404, M: 404, S: 404, E: 403}
GROUP_MEMBERS_OWN_DELETE = {**GROUP_MEMBERS_OWN, G: 204}


def _checkin_of(w, role_or_target: str):
    """A check-in by Target (or by the named role), made the first time a row asks."""
    from community.services.wellbeing import checkin_record

    key = f"_checkin_{role_or_target}"
    if key not in w.__dict__:
        owner = w.target if role_or_target == "target" else w.users[role_or_target]
        w.__dict__[key] = checkin_record(actor=owner, answers={"ons_happiness": 6, "ucla_isolated": 2})
    return w.__dict__[key]


def _url(owner: str):
    return lambda w: f"/api/v1/me/checkins/{_checkin_of(w, owner).pk}/"


ROWS = [
    ("me-checkins", "GET", "api/v1/me/checkins/", lambda w: "/api/v1/me/checkins/", None, OWN),
    ("me-checkin-record", "POST", "api/v1/me/checkins/", lambda w: "/api/v1/me/checkins/",
     lambda w: {"ons_happiness": 7}, RECORD),
    ("me-checkin-someone-elses", "GET", "api/v1/me/checkins/<int:checkin_id>/", _url("target"), None, SOMEONE_ELSES),
    ("me-checkin-own", "GET", "api/v1/me/checkins/<int:checkin_id>/", _url("group_member"), None, GROUP_MEMBERS_OWN),
    ("me-checkin-delete-someone-elses", "DELETE", "api/v1/me/checkins/<int:checkin_id>/", _url("target"), None,
     SOMEONE_ELSES),
    ("me-checkin-delete-own", "DELETE", "api/v1/me/checkins/<int:checkin_id>/", _url("group_member"), None,
     GROUP_MEMBERS_OWN_DELETE),
    ("me-consent", "GET", "api/v1/me/consent/", lambda w: "/api/v1/me/consent/", None, OWN),
    ("me-consent-set", "PUT", "api/v1/me/consent/", lambda w: "/api/v1/me/consent/",
     lambda w: {"consents": True}, OWN),
    ("me-wellbeing-settings", "GET", "api/v1/me/wellbeing-settings/", lambda w: "/api/v1/me/wellbeing-settings/",
     None, OWN),
    ("me-wellbeing-settings-set", "PATCH", "api/v1/me/wellbeing-settings/",
     lambda w: "/api/v1/me/wellbeing-settings/", lambda w: {"invitations_on": False}, OWN),
]  # fmt: skip
