"""Safeguarding endpoints: support contacts (read by everyone signed in, edited by staff), the crisis phrase list and
its test box (moderators and staff), and safeguarding concerns (moderators and staff)."""

from __future__ import annotations

ROLES = ["anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"]
A, O, G, L, M, S, E = ROLES  # noqa: E741

SIGNED_IN = {A: 401, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}
STAFF = {A: 401, O: 403, G: 403, L: 403, M: 403, S: 200, E: 403}
MODERATORS = {A: 401, O: 403, G: 403, L: 403, M: 200, S: 200, E: 403}
BASE = "/api/v1/safeguarding"


def _contact(w):
    from community.models import SupportContact

    return SupportContact.objects.order_by("position", "id").first()


def _phrase(w):
    from community.models import SafeguardingPhrase

    return SafeguardingPhrase.objects.get(phrase="want to die")


def _concern(w):
    if "_concern" not in w.__dict__:
        from community.models import SafeguardingConcern
        from community.services.safeguarding import crisis_scan

        text = "i want to die"
        w.__dict__["_concern"] = SafeguardingConcern.objects.create(
            person=w.target, source="message", source_id=1, excerpt=text, categories=["suicide"],
            matched=crisis_scan(text=text).matched, due_at=w.event.starts_at,
        )  # fmt: skip
    return w.__dict__["_concern"]


CONTACT_BODY = {"service": "Local crisis team", "contact": "Call 0800 000 000", "position": 9}

ROWS = [
    ("safeguarding-contacts", "GET", "api/v1/safeguarding/support-contacts/",
     lambda w: f"{BASE}/support-contacts/", None, SIGNED_IN),
    ("safeguarding-contact-add", "POST", "api/v1/safeguarding/support-contacts/",
     lambda w: f"{BASE}/support-contacts/", lambda w: CONTACT_BODY, {**STAFF, S: 201}),
    ("safeguarding-contact-change", "PUT", "api/v1/safeguarding/support-contacts/<int:contact_id>/",
     lambda w: f"{BASE}/support-contacts/{_contact(w).pk}/", lambda w: CONTACT_BODY, STAFF),
    ("safeguarding-contact-remove", "DELETE", "api/v1/safeguarding/support-contacts/<int:contact_id>/",
     lambda w: f"{BASE}/support-contacts/{_contact(w).pk}/", None, {**STAFF, S: 204}),
    ("safeguarding-phrases", "GET", "api/v1/safeguarding/phrases/", lambda w: f"{BASE}/phrases/", None, MODERATORS),
    ("safeguarding-phrase-add", "POST", "api/v1/safeguarding/phrases/", lambda w: f"{BASE}/phrases/",
     lambda w: {"phrase": "a phrase nobody listed yet", "category": "suicide"}, {**MODERATORS, M: 201, S: 201}),
    ("safeguarding-phrase-change", "PATCH", "api/v1/safeguarding/phrases/<int:phrase_id>/",
     lambda w: f"{BASE}/phrases/{_phrase(w).pk}/", lambda w: {"is_active": False}, MODERATORS),
    ("safeguarding-phrase-remove", "DELETE", "api/v1/safeguarding/phrases/<int:phrase_id>/",
     lambda w: f"{BASE}/phrases/{_phrase(w).pk}/", None, {**MODERATORS, M: 204, S: 204}),
    ("safeguarding-phrase-test", "POST", "api/v1/safeguarding/phrases/test/", lambda w: f"{BASE}/phrases/test/",
     lambda w: {"text": "this homework is killing me"}, MODERATORS),
    ("safeguarding-concerns", "GET", "api/v1/safeguarding/concerns/", lambda w: f"{BASE}/concerns/", None,
     MODERATORS),
    ("safeguarding-concern-claim", "POST", "api/v1/safeguarding/concerns/<int:concern_id>/claim/",
     lambda w: f"{BASE}/concerns/{_concern(w).pk}/claim/", None, MODERATORS),
    ("safeguarding-concern-resolve", "POST", "api/v1/safeguarding/concerns/<int:concern_id>/resolve/",
     lambda w: f"{BASE}/concerns/{_concern(w).pk}/resolve/", lambda w: {"outcome": "supported"}, MODERATORS),
]  # fmt: skip
