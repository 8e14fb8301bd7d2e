"""Role letters, common expectations and the lazily made things page rows point at. Not a row module itself
(its name starts with an underscore, so `collect` passes it over)."""

from __future__ import annotations

from tests.reliability.page_rows import DONE, LOGIN

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741

# Pages anyone may read, signed in or not.
OPEN = {A: 200, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}
# Pages for anyone signed in, and buttons anyone signed in may press.
SIGNED_IN = {A: LOGIN, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}
SIGNED_IN_DONE = {A: LOGIN, O: DONE, G: DONE, L: DONE, M: DONE, S: DONE, E: DONE}
# Evaluators only ever see aggregates: a person's own wellbeing and destination pages are not for them.
NOT_EVALUATORS = {A: LOGIN, O: 200, G: 200, L: 200, M: 200, S: 200, E: 403}
STAFF_ONLY = {A: LOGIN, O: 403, G: 403, L: 403, M: 403, S: 200, E: 403}
MODERATORS = {A: LOGIN, O: 403, G: 403, L: 403, M: 200, S: 200, E: 403}
MODERATORS_DONE = {A: LOGIN, O: 403, G: 403, L: 403, M: DONE, S: DONE, E: 403}
# Art Club's things: its members, moderators and staff; others are refused (403) or told it isn't there (404).
IN_GROUP = {A: LOGIN, O: 403, G: 200, L: 200, M: 200, S: 200, E: 403}
SEEN_IN_GROUP = {A: LOGIN, O: 404, G: 200, L: 200, M: 200, S: 200, E: 404}
SEES_EVENT = SEEN_IN_GROUP
# Run by the group's peer leaders and staff.
LEADS_GROUP = {A: LOGIN, O: 403, G: 403, L: 200, M: 403, S: 200, E: 403}
LEADS_GROUP_DONE = {A: LOGIN, O: 403, G: 403, L: DONE, M: 403, S: DONE, E: 403}
ORGANISES = {A: LOGIN, O: 404, G: 403, L: 200, M: 403, S: 200, E: 404}
ORGANISES_DONE = {A: LOGIN, O: 404, G: 403, L: DONE, M: 403, S: DONE, E: 404}


def avatar_of_target(w):
    """Target's picture, set the first time a row asks."""
    if "_avatar" not in w.__dict__:
        from io import BytesIO

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        from community.services.profiles import avatar_set

        buffer = BytesIO()
        Image.new("RGB", (64, 64), (200, 40, 40)).save(buffer, "JPEG")
        upload = SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")
        w.__dict__["_avatar"] = avatar_set(actor=w.target, user=w.target, upload=upload)
    return w.target


def calendar_token_of_member(w) -> str:
    """group_member's personal calendar feed token, made the first time a row asks."""
    if "_calendar_token" not in w.__dict__:
        from events.services.calendar_tokens import calendar_token_issue

        issued = calendar_token_issue(actor=w.users[G], group=None)
        w.__dict__["_calendar_token"] = getattr(issued, "token", issued)
    return w.__dict__["_calendar_token"]
