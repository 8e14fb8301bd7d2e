"""What deleting an account does to messaging's tables (community.services.erasure runs it).

Messages they wrote (held ones too) lose their words, picture and earlier versions and show as "Deleted member";
their reactions and read markers go; their side of direct conversations, and the moderation records about them, move
to the anonymous stand-in; reports they made stay with the case without their name.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from community.models import User
from community.services.erasure import erase_by_rules, stored_files_delete_on_commit
from messaging import realtime
from messaging.models import Message, MessageEdit, Reaction, ReadMarker, Room, RoomKind
from messaging.models_moderation import ModerationCase, ModeratorNote, Report, Sanction
from messaging.selectors import message_payload

# Open chats are told about this many of the newest erased messages at once; older ones change on the next load.
LIVE_UPDATES = 200


def _messages(user: User, stand_in: User, now: datetime) -> int:
    """Words, picture and earlier versions deleted; the author emptied ("Deleted member")."""
    mine = Message.objects.filter(author=user)
    ids = list(mine.values_list("pk", flat=True))
    if not ids:
        return 0
    images = mine.exclude(image="").values_list("image", flat=True)
    stored_files_delete_on_commit(Message._meta.get_field("image").storage, list(images))
    MessageEdit.objects.filter(message_id__in=ids).delete()
    mine.filter(deleted_at__isnull=True).update(deleted_at=now)
    Message.objects.filter(pk__in=ids).update(body="", image="", client_id="", author=None)
    shown = Message.objects.filter(pk__in=ids, is_held=False).select_related("reply_to__author").order_by("-pk")
    for message in shown[:LIVE_UPDATES]:
        realtime.on_commit_message_updated(room_id=message.room_id, payload=message_payload(message, reactions=[]))
    return len(ids)


def _message_edits(user: User, stand_in: User, now: datetime) -> int:
    """Earlier versions of their messages went with the messages. Edits they made to others' messages (a
    moderator removing one) keep the words and lose the editor (the database empties edited_by)."""
    return 0


def _reactions(user: User, stand_in: User, now: datetime) -> int:
    return Reaction.objects.filter(user=user).delete()[0]


def _direct_rooms(user: User, stand_in: User, now: datetime) -> int:
    """Their side of each direct conversation moves to the stand-in (the pair stays ordered: low id first)."""
    moved = 0
    for room in Room.objects.filter(Q(user_low=user) | Q(user_high=user), kind=RoomKind.DIRECT):
        other = room.other_participant_id(user.pk)
        room.user_low_id, room.user_high_id = sorted((other, stand_in.pk))
        if room.requested_by_id == user.pk:
            room.requested_by = stand_in
        room.save(update_fields=["user_low", "user_high", "requested_by", "updated_at"])
        moved += 1
    return moved


def _read_markers(user: User, stand_in: User, now: datetime) -> int:
    return ReadMarker.objects.filter(user=user).delete()[0]


def _reports(user: User, stand_in: User, now: datetime) -> int:
    """Reports they made stay with the case, without their name."""
    return Report.objects.filter(reporter=user).update(reporter=None)


def _cases(user: User, stand_in: User, now: datetime) -> int:
    return ModerationCase.objects.filter(subject=user).update(subject=stand_in)


def _sanctions(user: User, stand_in: User, now: datetime) -> int:
    return Sanction.objects.filter(user=user).update(user=stand_in)


def _moderator_notes(user: User, stand_in: User, now: datetime) -> int:
    return ModeratorNote.objects.filter(subject=user).update(subject=stand_in)


RULES = {
    "messaging.Message": _messages,
    "messaging.MessageEdit": _message_edits,
    "messaging.Reaction": _reactions,
    "messaging.Room": _direct_rooms,
    "messaging.ReadMarker": _read_markers,
    "messaging.Report": _reports,
    "messaging.ModerationCase": _cases,
    "messaging.Sanction": _sanctions,
    "messaging.ModeratorNote": _moderator_notes,
}
KEPT_FOR_SAFEGUARDING = ("messaging.ModerationCase", "messaging.Sanction", "messaging.ModeratorNote")


def erase_user(*, user: User, stand_in: User, now: datetime) -> dict:
    return erase_by_rules("messaging", RULES, kept=KEPT_FOR_SAFEGUARDING, user=user, stand_in=stand_in, now=now)
