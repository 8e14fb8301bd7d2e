"""Wellbeing check-ins, evaluation consent and the gentle check-in invitation: what members record about themselves.

Every answer is optional and every check-in can be deleted by the person who made it. Scores are computed here, once,
from the published tables (community.scoring): a part with a missing answer has no score. Only the member sees their
check-ins; they count (anonymously, in aggregates) only while their newest consent answer is yes
(community.selectors.consent). Evaluators and visitors record nothing (community.permissions.can_record_wellbeing).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from community import permissions, reference, scoring
from community.errors import InvalidInput, RateLimited
from community.models import EvaluationConsent, SiteRole, User, WellbeingCheckIn, WellbeingSettings
from community.services.audit import audit_record
from community.services.notifications import notify_many

CHECKINS_PER_DAY = 5  # more than enough to correct a slip; stops a script filling the table
INVITATION_BATCH = 500


def _answer_ranges() -> dict[str, tuple[int, int] | frozenset[str]]:
    """Each answer key (a WellbeingCheckIn field) with its allowed scores (low, high) or, for the direct loneliness
    question, its allowed choices. Built from the reference data, in question order."""
    swemwbs_scores = [score for score, _ in reference.SWEMWBS_ANSWERS]
    ranges: dict[str, tuple[int, int] | frozenset[str]] = {
        f"swemwbs_{item['position']}": (min(swemwbs_scores), max(swemwbs_scores)) for item in reference.swemwbs_items()
    }
    for question in reference.ons4_questions():
        ranges[f"ons_{question['key']}"] = (question["low"], question["high"])
    for question in reference.loneliness_questions():
        values = [value for value, _ in question["answers"]]
        if question["key"] == "direct":
            ranges["lonely_direct"] = frozenset(values)
        else:
            ranges[question["key"]] = (min(values), max(values))
    return ranges


ANSWER_KEYS: tuple[str, ...] = tuple(_answer_ranges())
SWEMWBS_KEYS = tuple(key for key in ANSWER_KEYS if key.startswith("swemwbs_"))
UCLA_KEYS = tuple(key for key in ANSWER_KEYS if key.startswith("ucla_"))


def _clean_score(key: str, value, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdecimal():  # not isdigit(): "²" is a digit int() refuses
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            f"The answer to {key} should be a whole number from {low} to {high}, or left empty.",
            code="answer_out_of_range",
            fields={key: f"Choose an answer from {low} to {high}, or skip it."},
        )
    return value


def clean_answers(answers: dict) -> dict:
    """Every known answer key with its checked value (None or "" when skipped). Raises InvalidInput with a stable
    code: `unknown_question` for a key that isn't a question, `answer_out_of_range` for a value outside the scale."""
    if not isinstance(answers, dict):
        raise InvalidInput("The answers should be an object of question keys and values.", code="invalid")
    ranges = _answer_ranges()
    unknown = sorted(str(key) for key in answers if key not in ranges)
    if unknown:
        raise InvalidInput(
            f"These aren't check-in questions: {', '.join(unknown)}.",
            code="unknown_question",
            fields={key: "Not a check-in question." for key in unknown},
        )
    cleaned: dict = {}
    for key, allowed in ranges.items():
        value = answers.get(key)
        if isinstance(allowed, frozenset):
            value = "" if value is None else value
            if value != "" and not (isinstance(value, str) and value in allowed):
                raise InvalidInput(
                    "The answer to how often you feel lonely should be one of the choices, or left empty.",
                    code="answer_out_of_range",
                    fields={key: "Choose one of the answers, or skip it."},
                )
            cleaned[key] = value
        else:
            cleaned[key] = _clean_score(key, value, *allowed)
    return cleaned


def checkin_record(*, actor: User, answers: dict) -> WellbeingCheckIn:
    """Save one check-in with its scores. Every answer is optional, but a check-in with no answers at all is refused
    (`empty_checkin`). At most CHECKINS_PER_DAY in any 24 hours (`rate_limited`)."""
    permissions.require_record_wellbeing(actor)
    cleaned = clean_answers(answers)
    if all(value in (None, "") for value in cleaned.values()):
        raise InvalidInput(
            "There's nothing to save yet. Answer any question you like, or leave it for another time.",
            code="empty_checkin",
        )
    raw, metric = scoring.swemwbs_score(cleaned[key] for key in SWEMWBS_KEYS)
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one check-in at a time per person
        recent = WellbeingCheckIn.objects.filter(user=actor, created_at__gt=now - timedelta(days=1)).count()
        if recent >= CHECKINS_PER_DAY:
            raise RateLimited(
                "You've checked in a few times today already. You're welcome to check in again tomorrow.",
                retry_after=60 * 60,
            )
        return WellbeingCheckIn.objects.create(
            user=actor,
            created_at=now,
            **cleaned,
            swemwbs_raw=raw,
            swemwbs_metric=metric,
            ucla_total=scoring.ucla_total(cleaned[key] for key in UCLA_KEYS),
        )


def checkin_delete(*, actor: User, checkin_id: int) -> None:
    """Delete one of your own check-ins for good. Anyone else's is not found (`checkin_not_found`)."""
    with transaction.atomic():
        checkin = permissions.access_own_checkin(user=actor, checkin_id=checkin_id, lock=True)
        checkin.delete()


def consent_current(*, user: User) -> EvaluationConsent | None:
    """The newest consent answer, or None when the member has never answered (which means no)."""
    return EvaluationConsent.objects.filter(user=user).order_by("-recorded_at", "-id").first()


def consent_set(*, actor: User, consents: bool) -> EvaluationConsent:
    """Record whether the member's data may count in programme and evaluation figures from now on. A row is added
    only when the answer changes (no answer means no); returns the current answer (unsaved when it is the default)."""
    permissions.require_record_wellbeing(actor)
    if not isinstance(consents, bool):
        raise InvalidInput("Say yes or no.", code="invalid", fields={"consents": "Choose yes or no."})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        current = consent_current(user=actor)
        before = bool(current and current.consents)
        if before == consents:
            return current or EvaluationConsent(user=actor, consents=False, recorded_at=None)
        answer = EvaluationConsent.objects.create(user=actor, consents=consents, recorded_at=timezone.now())
        audit_record(
            actor=actor,
            action="evaluation_consent_set",
            target=answer,
            data={"before": before, "after": consents},
        )
        return answer


def wellbeing_settings_for(*, user: User) -> WellbeingSettings:
    """The member's settings, or the defaults (invitations on) unsaved when they never changed them."""
    return WellbeingSettings.objects.filter(user=user).first() or WellbeingSettings(user=user)


def wellbeing_settings_set(*, actor: User, invitations_on: bool) -> WellbeingSettings:
    """Switch the gentle check-in invitations on or off. Idempotent."""
    permissions.require_record_wellbeing(actor)
    if not isinstance(invitations_on, bool):
        raise InvalidInput("Say on or off.", code="invalid", fields={"invitations_on": "Choose on or off."})
    with transaction.atomic():
        WellbeingSettings.objects.get_or_create(user=actor)
        row = WellbeingSettings.objects.select_for_update().get(user=actor)
        if row.invitations_on != invitations_on:
            row.invitations_on = invitations_on
            row.save(update_fields=["invitations_on"])
        return row


# --- the gentle invitation --------------------------------------------------------------------------------------------


def _due_for_invitation(*, now: datetime):
    """Members due a gentle invitation: a member (never staff, moderators or evaluators) for at least
    HN_CHECKIN_INVITE_DAYS, invitations on (the default), not invited and not checked in within that time."""
    cutoff = now - timedelta(days=settings.HN_CHECKIN_INVITE_DAYS)
    switched_off_or_recent = WellbeingSettings.objects.filter(user=OuterRef("pk")).filter(
        Q(invitations_on=False) | Q(last_invited_at__gt=cutoff)
    )
    checked_in_recently = WellbeingCheckIn.objects.filter(user=OuterRef("pk"), created_at__gt=cutoff)
    return User.objects.filter(
        is_active=True,
        site_role=SiteRole.MEMBER,
        date_joined__lte=cutoff,
    ).filter(
        Q(suspended_until__isnull=True) | Q(suspended_until__lte=now),
        ~Exists(switched_off_or_recent),
        ~Exists(checked_in_recently),
    )


def checkin_invitations_send(*, now: datetime | None = None) -> int:
    """Send the gentle check-in invitation (notification `wellbeing_invitation`, not emailed unless the member asks
    for it) to every member who is due one; returns how many were sent. Running it again sends nothing new."""
    now = now or timezone.now()
    url = reverse("community:wellbeing-checkin")
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(_due_for_invitation(now=now).order_by("pk")[:INVITATION_BATCH])
            if not batch:
                return sent
            WellbeingSettings.objects.bulk_create(
                [WellbeingSettings(user=user) for user in batch], ignore_conflicts=True
            )
            locked = list(
                WellbeingSettings.objects.select_for_update()
                .filter(user__in=batch, invitations_on=True)
                .filter(Q(last_invited_at__isnull=True) | Q(last_invited_at__lte=now - _invite_gap()))
                .values_list("user_id", flat=True)
            )
            WellbeingSettings.objects.filter(user_id__in=locked).update(last_invited_at=now)
            invited = [user for user in batch if user.pk in set(locked)]
            notify_many(
                users=invited,
                kind="wellbeing_invitation",
                title="A moment for a check-in, if you'd like one",
                body="How have things been lately? A check-in takes a couple of minutes, every question is optional, "
                "and only you see your answers. You can switch these invitations off at any time.",
                url=url,
            )
            sent += len(invited)
            if len(batch) < INVITATION_BATCH or not invited:  # nothing changed: stop rather than loop
                return sent


def _invite_gap() -> timedelta:
    return timedelta(days=settings.HN_CHECKIN_INVITE_DAYS)
