"""Screening a message before it is stored: what the word lists, crisis language and pre-moderation say about it.

The send and edit paths call `message_screen`, then store the message and call `screening_apply`. Moderators and
staff are not screened. Decisions:
- a word-list `block` entry: the message is refused (`blocked_words`) and the sender is told which words;
- crisis language (community.services.safeguarding): the message is held, the sender is sent the support contacts
  and the moderators on duty and the safeguarding lead are alerted (a safeguarding concern, not a case);
- a word-list `hold` entry, or a new member's first HN_NEW_MEMBER_HELD_MESSAGES messages, or a link from a member in
  their first HN_NEW_MEMBER_LINK_DAYS days: held for review (a case in the queue);
- a word-list `flag` entry: sent as usual, and a case tells moderators.
New-member holds apply in group and event rooms; a direct conversation already needs the other person's yes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from community.errors import InvalidInput
from community.models import User
from community.permissions import is_moderator_or_staff
from community.services.safeguarding import CrisisScan, crisis_scan, safeguarding_concern_raise
from messaging.models import Message, ReportReason, Room
from messaging.services.moderation.cases import case_report_add
from messaging.services.moderation.word_lists import word_list_verdict

HELD_CRISIS = "crisis"
LINK = re.compile(r"(https?://|www\.)\S+|\b[a-z0-9-]+\.(com|co\.uk|org|net|uk|io|ly|me|app|link)\b", re.IGNORECASE)


def new_member_held_messages() -> int:
    return int(getattr(settings, "HN_NEW_MEMBER_HELD_MESSAGES", 3))


def new_member_link_days() -> int:
    return int(getattr(settings, "HN_NEW_MEMBER_LINK_DAYS", 30))


@dataclass(frozen=True)
class Screening:
    hold_reason: str = ""  # "", "crisis", or a ReportReason for the case
    matched: str = ""  # the word-list entry behind a hold
    flags: tuple[str, ...] = ()  # word-list `flag` entries that matched
    crisis: CrisisScan | None = field(default=None)

    @property
    def holds(self) -> bool:
        return bool(self.hold_reason)


NOT_SCREENED = Screening()


def message_screen(*, actor: User, room: Room, text: str, has_image: bool = False, editing: bool = False) -> Screening:
    """What should happen to these words from `actor` in `room`. Raises InvalidInput(`blocked_words`)."""
    if is_moderator_or_staff(actor) or not text and not has_image:
        return NOT_SCREENED
    verdict = word_list_verdict(text=text) if text else None
    if verdict is not None and verdict.blocks:
        listed = ", ".join(f"“{phrase}”" for phrase in verdict.blocks)
        raise InvalidInput(
            f"This message wasn't sent because it includes words our community agreed not to use here: {listed}. "
            "You can change it and send it again.",
            code="blocked_words",
        )
    flags = tuple(verdict.flags) if verdict is not None else ()
    scan = crisis_scan(text=text) if text else None
    if scan is not None and scan.is_crisis:
        return Screening(hold_reason=HELD_CRISIS, flags=flags, crisis=scan)
    if verdict is not None and verdict.holds:
        return Screening(hold_reason=ReportReason.WORD_HOLD, matched=verdict.holds[0], flags=flags)
    if not room.is_direct and not editing:
        reason = _new_member_hold(actor=actor, text=text)
        if reason:
            return Screening(hold_reason=reason, flags=flags)
    return Screening(flags=flags)


def _new_member_hold(*, actor: User, text: str) -> str:
    limit = new_member_held_messages()
    # Counting stops at `limit`: an established member's message costs the same whatever their history.
    if limit > 0 and Message.objects.filter(author=actor, is_held=False).values("pk")[:limit].count() < limit:
        return ReportReason.NEW_MEMBER
    days = new_member_link_days()
    if days > 0 and LINK.search(text or "") and actor.date_joined > timezone.now() - timedelta(days=days):
        return ReportReason.NEW_MEMBER_LINK
    return ""


def screening_apply(*, screening: Screening, message: Message, actor: User) -> None:
    """After the message is saved (inside the same transaction): open the case or the safeguarding concern."""
    if screening.hold_reason == HELD_CRISIS:
        safeguarding_concern_raise(
            person=actor, source="message", source_id=message.pk, text=message.body, scan=screening.crisis
        )
    elif screening.holds:
        case_report_add(reason=screening.hold_reason, message=message, matched=screening.matched)
    for phrase in screening.flags:
        case_report_add(reason=ReportReason.WORD_FLAG, message=message, matched=phrase)
