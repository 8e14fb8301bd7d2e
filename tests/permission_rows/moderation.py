"""Permission rows for the moderation API: moderators and staff only; members, peer leaders and evaluators are
refused (403 `moderators_only`), and anonymous callers 401."""

from __future__ import annotations

ANON, OUTSIDER, MEMBER, LEADER, MODERATOR, STAFF, EVALUATOR = (
    "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator",
)  # fmt: skip


def moderators(ok: int = 200) -> dict:
    return {ANON: 401, OUTSIDER: 403, MEMBER: 403, LEADER: 403, MODERATOR: ok, STAFF: ok, EVALUATOR: 403}


def mod(w) -> dict:
    """A case about target's message (reported by group_member), a held message by target, and a silence on target.
    Made the first time a row asks (and kept on the world)."""
    if "_moderation" not in w.__dict__:
        from django.db import transaction

        from messaging.models import Message, ReportReason
        from messaging.services.moderation.cases import case_report_add
        from messaging.services.moderation.sanctions import member_silence
        from tests.test_api_permission_matrix import chat

        rooms = chat(w)
        with transaction.atomic():
            case = case_report_add(reason=ReportReason.BULLYING, reporter=w.users[MEMBER], message=rooms["theirs"]).case
        held = Message.objects.create(
            room=rooms["room"], author=w.target, body="My first message", is_held=True, held_reason="new_member"
        )
        silence = member_silence(actor=w.users[STAFF], user_id=w.target.pk, minutes=10, reason="Cooling off")
        w.__dict__["_moderation"] = {"case": case, "held": held, "theirs": rooms["theirs"], "silence": silence}
    return w.__dict__["_moderation"]


def case_url(w, rest: str = "") -> str:
    return f"/api/v1/moderation/cases/{mod(w)['case'].pk}/{rest}"


def message_url(w, which: str, action: str) -> str:
    return f"/api/v1/moderation/messages/{mod(w)[which].pk}/{action}/"


MESSAGE_ROUTE = "api/v1/moderation/messages/<int:message_id>/<slug:action>/"

ROWS = [
    ("moderation-queue", "GET", "api/v1/moderation/queue/", lambda w: (mod(w), "/api/v1/moderation/queue/")[1],
     None, moderators()),
    ("moderation-case", "GET", "api/v1/moderation/cases/<int:case_id>/", case_url, None, moderators()),
    ("moderation-case-claim", "POST", "api/v1/moderation/cases/<int:case_id>/claim/",
     lambda w: case_url(w, "claim/"), lambda w: {}, moderators()),
    ("moderation-case-release", "POST", "api/v1/moderation/cases/<int:case_id>/release/",
     lambda w: case_url(w, "release/"), None, moderators()),
    ("moderation-case-resolve", "POST", "api/v1/moderation/cases/<int:case_id>/resolve/",
     lambda w: case_url(w, "resolve/"), lambda w: {"outcome": "no_action", "note": "Fine"}, moderators()),
    ("moderation-person", "GET", "api/v1/moderation/people/<int:user_id>/",
     lambda w: f"/api/v1/moderation/people/{w.target.pk}/", None, moderators()),
    ("moderation-person-note", "POST", "api/v1/moderation/people/<int:user_id>/notes/",
     lambda w: f"/api/v1/moderation/people/{w.target.pk}/notes/", lambda w: {"body": "Seems upset lately"},
     moderators(201)),
    ("moderation-message-hide", "POST", MESSAGE_ROUTE, lambda w: message_url(w, "theirs", "hide"),
     lambda w: {"reason": "Unkind"}, moderators()),
    ("moderation-message-restore", "POST", MESSAGE_ROUTE, lambda w: message_url(w, "theirs", "restore"),
     lambda w: {}, moderators()),
    ("moderation-message-remove", "POST", MESSAGE_ROUTE, lambda w: message_url(w, "theirs", "remove"),
     lambda w: {"reason": "Personal information"}, moderators()),
    ("moderation-message-approve", "POST", MESSAGE_ROUTE, lambda w: message_url(w, "held", "approve"),
     lambda w: {}, moderators()),
    ("moderation-message-reject", "POST", MESSAGE_ROUTE, lambda w: message_url(w, "held", "reject"),
     lambda w: {"reason": "Not for this group"}, moderators()),
    ("moderation-sanctions", "GET", "api/v1/moderation/sanctions/", lambda w: "/api/v1/moderation/sanctions/",
     None, moderators()),
    ("moderation-sanction-create", "POST", "api/v1/moderation/sanctions/", lambda w: "/api/v1/moderation/sanctions/",
     lambda w: {"kind": "room_mute", "user_id": w.target.pk, "room_id": mod(w)["case"].room_id, "minutes": 30,
                "reason": "Heated"}, moderators(201)),
    ("moderation-sanction-lift", "POST", "api/v1/moderation/sanctions/<int:sanction_id>/lift/",
     lambda w: f"/api/v1/moderation/sanctions/{mod(w)['silence'].pk}/lift/", lambda w: {"reason": "Calmer"},
     moderators()),
    ("moderation-audit", "GET", "api/v1/moderation/audit/", lambda w: "/api/v1/moderation/audit/", None,
     moderators()),
    ("moderation-audit-csv", "GET", "api/v1/moderation/audit.csv", lambda w: "/api/v1/moderation/audit.csv", None,
     moderators()),
]  # fmt: skip
