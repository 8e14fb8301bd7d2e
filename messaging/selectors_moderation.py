"""Reads for the moderators' pages and API: the queue, one item with its context, a person's history, the audit log.

The queue is the open cases (reports, held messages, word-list flags) and the open safeguarding concerns
(community), safeguarding items first and the newest first within each. Every read here is for moderators and staff
only (callers check messaging.permissions.require_moderator); it shows what members never see: hidden and held words,
who reported, private notes. Query counts are fixed whatever the number of items (tests/messaging/
test_moderation_selectors.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from community.models import AuditEntry, SafeguardingConcern, User
from community.models_safety import ConcernSource, ConcernStatus
from messaging.models import (
    CaseStatus,
    Message,
    MessageEdit,
    ModerationCase,
    ModeratorNote,
    Report,
    Sanction,
)

QUEUE_FILTERS = ("all", "safeguarding", "mine", "unclaimed")
QUEUE_LIMIT = 300
CONTEXT_BEFORE = 5
CONTEXT_AFTER = 5
HISTORY_LIMIT = 50


# --- the queue --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    kind: str  # "case" or "concern"
    id: int
    is_safeguarding: bool
    title: str
    reasons: list[str]
    report_count: int
    subject: User | None
    room_id: int | None
    message_id: int | None
    is_held: bool
    created_at: datetime
    due_at: datetime
    escalated_at: datetime | None
    claimed_by: User | None

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.due_at <= (now or timezone.now())


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    counts: dict[str, int]
    chosen: str


def _case_title(case: ModerationCase) -> str:
    if case.kind == "message":
        held = case.message is not None and case.message.is_held
        return "A held message" if held else "A reported message"
    if case.kind == "event":
        return "A reported event"
    return "A reported person"


def _case_item(case: ModerationCase) -> QueueItem:
    reasons = []
    for report in case.reports.all():
        label = report.get_reason_display()
        if label not in reasons:
            reasons.append(label)
    return QueueItem(
        kind="case",
        id=case.pk,
        is_safeguarding=case.is_safeguarding,
        title=_case_title(case),
        reasons=reasons,
        report_count=len(case.reports.all()),
        subject=case.subject,
        room_id=case.room_id,
        message_id=case.message_id,
        is_held=bool(case.message is not None and case.message.is_held),
        created_at=case.created_at,
        due_at=case.due_at,
        escalated_at=case.escalated_at,
        claimed_by=case.claimed_by,
    )


def _concern_item(concern: SafeguardingConcern) -> QueueItem:
    return QueueItem(
        kind="concern",
        id=concern.pk,
        is_safeguarding=True,
        title="Possible crisis: someone may need support",
        reasons=[str(category).replace("_", " ") for category in concern.categories],
        report_count=0,
        subject=concern.person,
        room_id=None,
        message_id=concern.source_id if concern.source == ConcernSource.MESSAGE else None,
        is_held=concern.source == ConcernSource.MESSAGE,
        created_at=concern.created_at,
        due_at=concern.due_at,
        escalated_at=concern.escalated_at,
        claimed_by=concern.claimed_by,
    )


def moderation_queue(*, viewer: User, chosen: str = "all") -> Queue:
    """Open items with counts per filter (all, safeguarding, mine, unclaimed). Three queries."""
    if chosen not in QUEUE_FILTERS:
        chosen = "all"
    cases = (
        ModerationCase.objects.filter(status=CaseStatus.OPEN)
        .select_related("subject", "claimed_by", "message")
        .prefetch_related(Prefetch("reports", queryset=Report.objects.order_by("id")))
        .order_by("-created_at", "-id")[:QUEUE_LIMIT]
    )
    concerns = (
        SafeguardingConcern.objects.filter(status=ConcernStatus.OPEN)
        .select_related("person", "claimed_by")
        .order_by("-created_at", "-id")[:QUEUE_LIMIT]
    )
    items = [_concern_item(concern) for concern in concerns] + [_case_item(case) for case in cases]
    items.sort(key=lambda item: (item.is_safeguarding, item.created_at, item.kind == "concern", item.id), reverse=True)
    tests = {
        "all": lambda item: True,
        "safeguarding": lambda item: item.is_safeguarding,
        "mine": lambda item: item.claimed_by is not None and item.claimed_by.pk == viewer.pk,
        "unclaimed": lambda item: item.claimed_by is None,
    }
    counts = {name: sum(1 for item in items if test(item)) for name, test in tests.items()}
    return Queue(items=[item for item in items if tests[chosen](item)], counts=counts, chosen=chosen)


# --- context ----------------------------------------------------------------------------------------------------------


def _messages_with_people() -> QuerySet[Message]:
    return Message.objects.select_related("author", "room")


def message_context(*, message: Message) -> list[Message]:
    """The message with up to 5 before and 5 after it in its room - hidden, held and deleted ones included, with
    their words, for moderators. Oldest first. Two queries."""
    before = list(
        _messages_with_people().filter(room_id=message.room_id, pk__lt=message.pk).order_by("-pk")[:CONTEXT_BEFORE]
    )
    around = list(
        _messages_with_people().filter(room_id=message.room_id, pk__gte=message.pk).order_by("pk")[: CONTEXT_AFTER + 1]
    )
    return list(reversed(before)) + around


@dataclass
class PersonHistory:
    person: User | None
    cases: list[ModerationCase] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    notes: list[ModeratorNote] = field(default_factory=list)

    @property
    def sanctions_in_force(self) -> list[Sanction]:
        now = timezone.now()
        return [sanction for sanction in self.sanctions if sanction.is_in_force(now)]


def person_history(*, person: User | None, exclude_case_id: int | None = None) -> PersonHistory:
    """Earlier cases about the person (with how many reports), their sanctions and the moderators' private notes.
    Three queries."""
    if person is None:
        return PersonHistory(person=None)
    cases = (
        ModerationCase.objects.filter(subject=person)
        .annotate(report_count=Count("reports"))
        .select_related("resolved_by")
        .order_by("-created_at", "-id")
    )
    if exclude_case_id is not None:
        cases = cases.exclude(pk=exclude_case_id)
    sanctions = (
        Sanction.objects.filter(user=person)
        .select_related("room", "room__group", "room__event", "group", "created_by", "lifted_by")
        .order_by("-starts_at", "-id")
    )
    notes = ModeratorNote.objects.filter(subject=person).select_related("author").order_by("-created_at", "-id")
    return PersonHistory(
        person=person,
        cases=list(cases[:HISTORY_LIMIT]),
        sanctions=list(sanctions[:HISTORY_LIMIT]),
        notes=list(notes[:HISTORY_LIMIT]),
    )


@dataclass
class CaseDetail:
    case: ModerationCase
    reports: list[Report]
    context: list[Message]
    earlier_words: list[MessageEdit]
    history: PersonHistory


def case_detail(*, case_id: int) -> CaseDetail | None:
    """One case with everything a moderator needs to decide: the reports (with reporters' names), the messages
    around a reported message, its earlier words if it was edited or removed, and the person's history. A fixed
    number of queries."""
    case = (
        ModerationCase.objects.select_related(
            "subject",
            "claimed_by",
            "resolved_by",
            "event",
            "room",
            "room__group",
            "room__event",
            "room__user_low",
            "room__user_high",
            "message",
            "message__author",
        )
        .filter(pk=case_id)
        .first()
        if isinstance(case_id, int)
        else None
    )
    if case is None:
        return None
    reports = list(Report.objects.filter(case=case).select_related("reporter").order_by("id"))
    context = message_context(message=case.message) if case.message is not None else []
    earlier = (
        list(MessageEdit.objects.filter(message=case.message).select_related("edited_by").order_by("id"))
        if case.message is not None
        else []
    )
    history = person_history(person=case.subject, exclude_case_id=case.pk)
    return CaseDetail(case=case, reports=reports, context=context, earlier_words=earlier, history=history)


@dataclass
class ConcernDetail:
    concern: SafeguardingConcern
    message: Message | None
    context: list[Message]
    history: PersonHistory


def concern_detail(*, concern_id: int) -> ConcernDetail | None:
    concern = (
        SafeguardingConcern.objects.select_related("person", "claimed_by", "resolved_by").filter(pk=concern_id).first()
        if isinstance(concern_id, int)
        else None
    )
    if concern is None:
        return None
    message = None
    if concern.source == ConcernSource.MESSAGE:
        message = _messages_with_people().filter(pk=concern.source_id).first()
    context = message_context(message=message) if message is not None else []
    return ConcernDetail(
        concern=concern, message=message, context=context, history=person_history(person=concern.person)
    )


# --- the audit log ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    person_id: int | None = None  # entries about this person: the target, or the person a sanction/case was about
    target_type: str = ""
    target_id: str = ""
    action: str = ""  # an exact action, or a prefix ending in "." (e.g. "sanction.")
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, matching every filter given. Dates are whole days in London time."""
    entries = AuditEntry.objects.select_related("actor", "group").order_by("-created_at", "-id")
    if filters.actor_id is not None:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.person_id is not None:
        person = str(filters.person_id)
        entries = entries.filter(
            Q(target_type="community.user", target_id=person)
            | Q(data__user_id=filters.person_id)
            | Q(data__subject_id=filters.person_id)
            | Q(data__author_id=filters.person_id)
        )
    if filters.target_type:
        entries = entries.filter(target_type=filters.target_type)
    if filters.target_id:
        entries = entries.filter(target_id=filters.target_id)
    if filters.action:
        if filters.action.endswith("."):
            entries = entries.filter(action__startswith=filters.action)
        else:
            entries = entries.filter(action=filters.action)
    if filters.date_from is not None:
        entries = entries.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        entries = entries.filter(created_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return entries


def audit_actions_known() -> list[str]:
    """The actions in the log, for the filter's choices. One query."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


AUDIT_CSV_COLUMNS = ["when", "actor_id", "actor", "action", "target_type", "target_id", "group", "details"]
AUDIT_CSV_MAX_ROWS = 50_000


def _cell(value) -> str:
    """A CSV cell a spreadsheet won't run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_csv_rows(entries: QuerySet[AuditEntry]):
    """The header, then one row per entry (at most AUDIT_CSV_MAX_ROWS), for a CSV download."""
    yield AUDIT_CSV_COLUMNS
    for entry in entries[:AUDIT_CSV_MAX_ROWS].iterator(chunk_size=1000):
        yield [
            _cell(timezone.localtime(entry.created_at).isoformat()),
            _cell(entry.actor_id),
            _cell(entry.actor.display_name if entry.actor else "the system"),
            _cell(entry.action),
            _cell(entry.target_type),
            _cell(entry.target_id),
            _cell(entry.group.name if entry.group else ""),
            _cell(json.dumps(entry.data, ensure_ascii=False, sort_keys=True, default=str)),
        ]
