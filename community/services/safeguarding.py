"""Safeguarding: finding crisis language, raising a concern, handling it, and editing the lists behind it.

`crisis_scan` runs on every chat message and pulse comment. It reads the operator's phrase list (SafeguardingPhrase):
phrases marked `not_crisis` ("killing it", "dying to see you") are found first and their words set aside, then the
crisis phrases (self-harm, suicide, abuse, danger) are looked for in what is left. Matching is community.textmatch's:
case, accents, spacing, letter swaps ("k1ll") and one slip in a longer word ("myslef") do not hide a phrase.

The compiled matchers are kept per process and rebuilt when the list changes: every phrase edit bumps a version number
in Django's cache (on commit), and each scan compares its copy's version with the cache's.

`safeguarding_concern_raise` is what a caller does with a crisis scan: record the concern, send the person a kind
private message with the support contacts, and alert the moderators on duty and the safeguarding leads (all moderators
when nobody is on duty). It runs inside the caller's transaction; the notifications go out when it commits.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from community import permissions
from community.errors import Conflict, Forbidden, InvalidInput, NotFound
from community.models import (
    ConcernSource,
    ConcernStatus,
    CrisisCategory,
    SafeguardingConcern,
    SafeguardingPhrase,
    SiteRole,
    SupportContact,
    User,
)
from community.selectors.duty import moderators_on_duty, safeguarding_leads
from community.selectors.safeguarding import support_contacts
from community.services.audit import audit_record
from community.services.notifications import notify, notify_many
from community.textmatch import PhraseMatcher, covered_positions, normalise, words

VERSION_KEY = "safeguarding:phrases:version"
PHRASE_MAX = 120
NOTE_MAX = 2000
EXCERPT_MAX = 2000
CRISIS_CATEGORIES = tuple(value for value in CrisisCategory.values if value != CrisisCategory.NOT_CRISIS)


class ConcernOutcome(models.TextChoices):
    SUPPORTED = "supported", "We reached out and supported them"
    REFERRED = "referred", "Referred to a support service or their social worker"
    EMERGENCY_SERVICES = "emergency_services", "Emergency services contacted"
    NO_CONCERN = "no_concern", "Checked: not a safeguarding concern"


# --- Detecting ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrisisScan:
    categories: list[str] = field(default_factory=list)  # in CrisisCategory order
    matched: list[str] = field(default_factory=list)  # the listed phrases found, in the order they appear

    @property
    def is_crisis(self) -> bool:
        return bool(self.matched)


@dataclass(frozen=True)
class _Compiled:
    version: int
    crisis: PhraseMatcher
    not_crisis: PhraseMatcher
    category_of: dict[str, str]


_compiled: _Compiled | None = None
_compile_lock = threading.Lock()


def _current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:  # never set, or evicted: start a new one so every process rebuilds
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version or 0)


def phrase_list_changed() -> None:
    """Tell every process to rebuild its matchers (the phrase editing services call this on commit)."""
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _matchers() -> _Compiled:
    global _compiled
    version = _current_version()
    compiled = _compiled
    if compiled is not None and compiled.version == version:
        return compiled
    with _compile_lock:
        rows = list(SafeguardingPhrase.objects.filter(is_active=True).values_list("phrase", "category"))
        crisis = [phrase for phrase, category in rows if category != CrisisCategory.NOT_CRISIS]
        compiled = _Compiled(
            version=version,
            crisis=PhraseMatcher(crisis, correct_spelling=True),
            not_crisis=PhraseMatcher(
                (phrase for phrase, category in rows if category == CrisisCategory.NOT_CRISIS), correct_spelling=True
            ),
            category_of={phrase: category for phrase, category in rows if category != CrisisCategory.NOT_CRISIS},
        )
        _compiled = compiled
    return compiled


@dataclass(frozen=True)
class CrisisExplanation:
    """What the "test this text" box shows."""

    normalised: str  # the text as the matcher reads it, slips corrected
    scan: CrisisScan
    set_aside: list[str]  # not_crisis phrases whose words were taken out first


def crisis_explain(*, text: str) -> CrisisExplanation:
    compiled = _matchers()
    text_words = words(text or "")
    looks_similar = compiled.not_crisis.spans(compiled.not_crisis.corrected(text_words))
    corrected = compiled.crisis.corrected(text_words)
    found = compiled.crisis.spans(corrected, skip=covered_positions(looks_similar))
    matched = list(dict.fromkeys(match.phrase for match in found))
    present = {compiled.category_of[phrase] for phrase in matched}
    scan = CrisisScan(categories=[c for c in CRISIS_CATEGORIES if c in present], matched=matched)
    return CrisisExplanation(
        normalised=" ".join(corrected),
        scan=scan,
        set_aside=list(dict.fromkeys(match.phrase for match in looks_similar)),
    )


def crisis_scan(*, text: str) -> CrisisScan:
    """Crisis language in `text`: the categories and phrases found (empty when there is none). Fast; no writes."""
    if not text or not text.strip():
        return CrisisScan()
    return crisis_explain(text=text).scan


# --- Raising and handling a concern -------------------------------------------------------------------------------


def safeguarding_deadline() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "HN_SAFEGUARDING_DEADLINE_MINUTES", 60)))


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def support_message_body(contacts: list[SupportContact]) -> str:
    lines = [
        "Thank you for sharing how you feel. It sounds like things might be really hard right now, and you "
        "don't have to deal with that on your own.",
        "",
        "If you'd like to talk to someone, these people are there for you:",
    ]
    for contact in contacts:
        details = ", ".join(part for part in (contact.contact, contact.when) if part)
        who = f" (for {contact.who.lower()})" if contact.who and contact.who.lower() != "everyone" else ""
        lines.append(f"- {contact.service}: {details}{who}")
    lines += ["", "Someone from the Here and Now team may also check in with you. You're not in trouble."]
    return "\n".join(lines)


def alert_recipients(*, person: User | None) -> list[User]:
    """Moderators on duty and every safeguarding lead; all moderators (or all staff, if there are no moderators)
    when nobody is on duty. Never the person the concern is about."""
    on_duty = list(moderators_on_duty())
    if not on_duty:
        on_duty = list(User.objects.filter(is_active=True, site_role=SiteRole.MODERATOR))
        if not on_duty:
            on_duty = list(User.objects.filter(is_active=True, site_role=SiteRole.STAFF))
    leads = list(safeguarding_leads())
    people = {user.pk: user for user in [*on_duty, *leads]}
    if person is not None:
        people.pop(person.pk, None)
    return list(people.values())


def safeguarding_concern_raise(
    *, person: User, source: str, source_id: int, text: str, scan: CrisisScan
) -> SafeguardingConcern:
    """Record crisis language `person` wrote, send them the support contacts, alert the moderators. Call it inside
    the transaction that saves (and holds) what they wrote; everything is delivered when it commits."""
    if source not in ConcernSource.values:
        raise InvalidInput("That isn't something a safeguarding concern can come from.", code="invalid_source")
    now = timezone.now()
    with transaction.atomic():
        concern = SafeguardingConcern.objects.create(
            person=person,
            source=source,
            source_id=source_id,
            excerpt=(text or "")[:EXCERPT_MAX],
            categories=list(scan.categories),
            matched=list(scan.matched),
            due_at=now + safeguarding_deadline(),
            created_at=now,
        )
        contacts = list(support_contacts())
        notify(
            user=person,
            kind="safeguarding_support",
            title="You're not on your own",
            body=support_message_body(contacts),
            url=_url("community:support"),
        )
        recipients = alert_recipients(person=person)
        labels = ", ".join(CrisisCategory(category).label.lower() for category in scan.categories) or "crisis"
        where = "a chat message" if source == ConcernSource.MESSAGE else "an event pulse comment"
        minutes = int(safeguarding_deadline().total_seconds() // 60)
        notify_many(
            users=recipients,
            kind="safeguarding_alert",
            title=f"Safeguarding: please check on {person.display_name} within {minutes} minutes",
            body=(
                f"Words about {labels} were found in {where} by {person.display_name}. It is held, and they have "
                "been sent the support contacts. Please open the concern, claim it and check on them."
            ),
            url=_url(settings.HN_SAFEGUARDING_CONCERN_PAGE, concern_id=concern.pk),
        )
        audit_record(
            actor=None,
            action="safeguarding.concern_raised",
            target=concern,
            data={
                "person": person.pk,
                "source": source,
                "source_id": source_id,
                "categories": concern.categories,
                "matched": concern.matched,
                "alerted": sorted(user.pk for user in recipients),
                "support_contacts": len(contacts),
            },
        )
    return concern


def _concern_for_update(*, actor: User, concern_id: int) -> SafeguardingConcern:
    permissions.access_safeguarding_concern(user=actor, concern_id=concern_id)
    return SafeguardingConcern.objects.select_for_update().get(pk=concern_id)


def safeguarding_concern_claim(*, actor: User, concern_id: int) -> SafeguardingConcern:
    """Take a concern on (or take it over). Claiming one you hold, or one already resolved, changes nothing."""
    with transaction.atomic():
        concern = _concern_for_update(actor=actor, concern_id=concern_id)
        if concern.status == ConcernStatus.RESOLVED or concern.claimed_by_id == actor.pk:
            return concern
        before = concern.claimed_by_id
        concern.claimed_by, concern.claimed_at = actor, timezone.now()
        concern.save(update_fields=["claimed_by", "claimed_at"])
        audit_record(
            actor=actor,
            action="safeguarding.concern_claimed",
            target=concern,
            data={"before": {"claimed_by": before}, "after": {"claimed_by": actor.pk}},
        )
    return concern


def safeguarding_concern_resolve(*, actor: User, concern_id: int, outcome: str, note: str = "") -> SafeguardingConcern:
    """Close a concern with what was done. Resolving one already resolved returns it unchanged."""
    if outcome not in ConcernOutcome.values:
        raise InvalidInput(
            "Please choose what happened: " + ", ".join(str(label) for label in ConcernOutcome.labels) + ".",
            code="invalid_outcome",
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"Please keep the note to {NOTE_MAX} characters.", code="too_long")
    with transaction.atomic():
        concern = _concern_for_update(actor=actor, concern_id=concern_id)
        if concern.status == ConcernStatus.RESOLVED:
            return concern
        now = timezone.now()
        concern.status, concern.outcome, concern.outcome_note = ConcernStatus.RESOLVED, outcome, note
        concern.resolved_by, concern.resolved_at = actor, now
        fields = ["status", "outcome", "outcome_note", "resolved_by", "resolved_at"]
        if concern.claimed_by_id is None:
            concern.claimed_by, concern.claimed_at = actor, now
            fields += ["claimed_by", "claimed_at"]
        concern.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="safeguarding.concern_resolved",
            target=concern,
            data={
                "before": {"status": ConcernStatus.OPEN},
                "after": {"status": ConcernStatus.RESOLVED, "outcome": outcome},
                "reason": note,
            },
        )
    return concern


# --- Editing the phrase list --------------------------------------------------------------------------------------


def _require_phrase_editor(actor: User) -> None:
    if not permissions.can_edit_crisis_phrases(actor):
        raise Forbidden("Only moderators and staff can change the crisis phrase list.", code="moderators_only")


def _clean_phrase(phrase: str, category: str) -> tuple[str, str]:
    phrase = " ".join((phrase or "").split()).lower()
    if not normalise(phrase.rstrip("*")):
        raise InvalidInput("Please type a word or phrase.", code="invalid_phrase")
    if len(phrase) > PHRASE_MAX:
        raise InvalidInput(f"Please keep a phrase to {PHRASE_MAX} characters.", code="too_long")
    if "*" in phrase[:-1]:
        raise InvalidInput("A * can only go at the very end, to match any ending.", code="invalid_phrase")
    if category not in CrisisCategory.values:
        raise InvalidInput("Please choose a category from the list.", code="invalid_category")
    return phrase, category


def _phrase_snapshot(row: SafeguardingPhrase) -> dict:
    return {"phrase": row.phrase, "category": row.category, "is_active": row.is_active}


def safeguarding_phrase_add(*, actor: User, phrase: str, category: str) -> SafeguardingPhrase:
    _require_phrase_editor(actor)
    phrase, category = _clean_phrase(phrase, category)
    try:
        with transaction.atomic():
            row = SafeguardingPhrase.objects.create(phrase=phrase, category=category)
            audit_record(
                actor=actor, action="safeguarding.phrase_added", target=row, data={"after": _phrase_snapshot(row)}
            )
            transaction.on_commit(phrase_list_changed)
    except IntegrityError:
        raise Conflict("That phrase is already on the list in that category.", code="phrase_exists") from None
    return row


def safeguarding_phrase_update(
    *,
    actor: User,
    phrase_id: int,
    phrase: str | None = None,
    category: str | None = None,
    is_active: bool | None = None,
) -> SafeguardingPhrase:
    _require_phrase_editor(actor)
    try:
        with transaction.atomic():
            row = SafeguardingPhrase.objects.select_for_update().filter(pk=phrase_id).first()
            if row is None:
                raise NotFound("We couldn't find that phrase.", code="phrase_not_found")
            before = _phrase_snapshot(row)
            new_phrase, new_category = _clean_phrase(
                row.phrase if phrase is None else phrase, row.category if category is None else category
            )
            row.phrase, row.category = new_phrase, new_category
            if is_active is not None:
                row.is_active = bool(is_active)
            after = _phrase_snapshot(row)
            if after == before:
                return row
            row.save(update_fields=["phrase", "category", "is_active", "updated_at"])
            audit_record(
                actor=actor, action="safeguarding.phrase_changed", target=row, data={"before": before, "after": after}
            )
            transaction.on_commit(phrase_list_changed)
    except IntegrityError:
        raise Conflict("That phrase is already on the list in that category.", code="phrase_exists") from None
    return row


def safeguarding_phrase_remove(*, actor: User, phrase_id: int) -> None:
    """Delete a phrase. Removing one that is already gone changes nothing."""
    _require_phrase_editor(actor)
    with transaction.atomic():
        row = SafeguardingPhrase.objects.select_for_update().filter(pk=phrase_id).first()
        if row is None:
            return
        audit_record(
            actor=actor, action="safeguarding.phrase_removed", target=row, data={"before": _phrase_snapshot(row)}
        )
        row.delete()
        transaction.on_commit(phrase_list_changed)


def crisis_phrases_load_defaults(*, actor: User | None = None) -> int:
    """Add every default phrase (community/safeguarding_data/crisis_phrases.csv) that is not on the list yet; never
    changes or deletes the operator's rows. Returns how many were added."""
    from community.safeguarding_data import default_crisis_phrases

    existing = set(SafeguardingPhrase.objects.values_list("phrase", "category"))
    missing = [
        SafeguardingPhrase(phrase=phrase, category=category)
        for phrase, category in default_crisis_phrases()
        if (phrase, category) not in existing
    ]
    with transaction.atomic():
        SafeguardingPhrase.objects.bulk_create(missing, ignore_conflicts=True)
        if missing:
            transaction.on_commit(phrase_list_changed)
    return len(missing)


def support_contacts_load_defaults() -> int:
    """Fill an empty support contact list from community/reference_data/signposting_uk.csv (what migration 0004
    does once). Does nothing when there are contacts already. Returns how many were added."""
    from community.reference import signposting_contacts

    with transaction.atomic():
        if SupportContact.objects.exists():
            return 0
        rows = signposting_contacts()
        SupportContact.objects.bulk_create(
            SupportContact(service=row["service"], contact=row["contact"], when=row["when"], who=row["who"], position=i)
            for i, row in enumerate(rows)
        )
    return len(rows)


# --- Editing the support contacts (staff) -------------------------------------------------------------------------


def _require_contact_editor(actor: User) -> None:
    if not permissions.can_edit_support_contacts(actor):
        raise Forbidden("Only staff can change the support contacts.", code="not_staff")


def _contact_snapshot(row: SupportContact) -> dict:
    return {
        "service": row.service,
        "contact": row.contact,
        "when": row.when,
        "who": row.who,
        "position": row.position,
        "is_active": row.is_active,
    }


_CONTACT_LIMITS = {"service": 120, "contact": 200, "when": 200, "who": 200}


def support_contact_save(
    *,
    actor: User,
    contact_id: int | None = None,
    service: str,
    contact: str,
    when: str = "",
    who: str = "",
    position: int = 0,
    is_active: bool = True,
) -> SupportContact:
    """Add a support contact (no contact_id) or change one."""
    _require_contact_editor(actor)
    values = {"service": (service or "").strip(), "contact": (contact or "").strip(), "when": (when or "").strip()}
    values["who"] = (who or "").strip()
    for name, limit in _CONTACT_LIMITS.items():
        if len(values[name]) > limit:
            raise InvalidInput(f"Please keep the {name} to {limit} characters.", code="too_long")
    if not values["service"] or not values["contact"]:
        raise InvalidInput("Please give the service's name and how to reach it.", code="invalid_contact")
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 1000:
        raise InvalidInput("Please give a position from 0 to 1000.", code="invalid_position")
    with transaction.atomic():
        if contact_id is None:
            row = SupportContact.objects.create(**values, position=position, is_active=bool(is_active))
            audit_record(
                actor=actor, action="safeguarding.contact_added", target=row, data={"after": _contact_snapshot(row)}
            )
            return row
        row = SupportContact.objects.select_for_update().filter(pk=contact_id).first()
        if row is None:
            raise NotFound("We couldn't find that support contact.", code="contact_not_found")
        before = _contact_snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.position, row.is_active = position, bool(is_active)
        after = _contact_snapshot(row)
        if after != before:
            row.save(update_fields=list(after))
            audit_record(
                actor=actor, action="safeguarding.contact_changed", target=row, data={"before": before, "after": after}
            )
    return row


def support_contact_remove(*, actor: User, contact_id: int) -> None:
    """Delete a support contact. Removing one already gone changes nothing."""
    _require_contact_editor(actor)
    with transaction.atomic():
        row = SupportContact.objects.select_for_update().filter(pk=contact_id).first()
        if row is None:
            return
        audit_record(
            actor=actor, action="safeguarding.contact_removed", target=row, data={"before": _contact_snapshot(row)}
        )
        row.delete()
