"""The participation ledger and the ties between people who took part in the same activities.

Other apps (events' check-in) call these in their own transaction; community never imports them. An activity is
named by a key such as "event:42". A Tie between two people (user_low < user_high) is derived from the ledger:
how many activities both took part in, and the first and last time. Recording and undoing recompute exactly the
ties of the person concerned with the others at that activity, so record then undo leaves everything as before.

Callers serialise changes to one activity (events' check-in holds the event's row lock), so two people checked in
at the same moment each see the other's entry.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max, Min, Q

from community.models import Group, ParticipationEntry, Tie, User


def participation_record(
    *, user: User, activity_key: str, group: Group | None, category: str, occurred_at: datetime
) -> ParticipationEntry:
    """Record that `user` took part in `activity_key`, and update their ties with everyone else there.

    Recording the same person and activity again changes nothing and returns the existing entry.
    """
    with transaction.atomic():
        existing = ParticipationEntry.objects.select_for_update().filter(user=user, activity_key=activity_key).first()
        if existing is not None:
            return existing
        entry = ParticipationEntry.objects.create(
            user=user, activity_key=activity_key, group=group, category=category or "", occurred_at=occurred_at
        )
        _recompute_ties(user_id=user.pk, others=_others_at(activity_key, user_id=user.pk))
    return entry


def participation_undo(*, user: User, activity_key: str) -> bool:
    """Remove `user`'s entry for `activity_key` and put their ties back to what the rest of the ledger says
    (a tie that no longer has any shared activity is deleted). Returns False if there was nothing to undo."""
    with transaction.atomic():
        entry = ParticipationEntry.objects.select_for_update().filter(user=user, activity_key=activity_key).first()
        if entry is None:
            return False
        entry.delete()
        _recompute_ties(user_id=user.pk, others=_others_at(activity_key, user_id=user.pk))
    return True


def _others_at(activity_key: str, *, user_id: int) -> list[int]:
    return list(
        ParticipationEntry.objects.filter(activity_key=activity_key)
        .exclude(user_id=user_id)
        .values_list("user_id", flat=True)
    )


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _recompute_ties(*, user_id: int, others: list[int]) -> None:
    """Make the ties between `user_id` and each of `others` match the ledger exactly."""
    if not others:
        return
    my_activities = ParticipationEntry.objects.filter(user_id=user_id).values("activity_key")
    shared = {
        row["user_id"]: row
        for row in ParticipationEntry.objects.filter(user_id__in=others, activity_key__in=my_activities)
        .values("user_id")
        .annotate(times=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
    }
    pairs = {_pair(user_id, other) for other in others}
    lower = [other for other in others if other < user_id]
    higher = [other for other in others if other > user_id]
    existing_filter = Q(user_low_id=user_id, user_high_id__in=higher) | Q(user_high_id=user_id, user_low_id__in=lower)
    existing = {
        (tie.user_low_id, tie.user_high_id): tie for tie in Tie.objects.select_for_update().filter(existing_filter)
    }

    to_delete, to_update, to_create = [], [], []
    for pair in pairs:
        other = pair[0] if pair[1] == user_id else pair[1]
        row = shared.get(other)
        tie = existing.get(pair)
        if row is None:
            if tie is not None:
                to_delete.append(tie.pk)
            continue
        if tie is None:
            to_create.append(
                Tie(
                    user_low_id=pair[0],
                    user_high_id=pair[1],
                    first_met_at=row["first"],
                    last_met_at=row["last"],
                    times_met=row["times"],
                )
            )
        elif (tie.times_met, tie.first_met_at, tie.last_met_at) != (row["times"], row["first"], row["last"]):
            tie.times_met, tie.first_met_at, tie.last_met_at = row["times"], row["first"], row["last"]
            to_update.append(tie)
    if to_delete:
        Tie.objects.filter(pk__in=to_delete).delete()
    if to_update:
        Tie.objects.bulk_update(to_update, ["times_met", "first_met_at", "last_met_at"])
    if to_create:  # an upsert, in case the same pair met at another activity recorded at this moment
        Tie.objects.bulk_create(
            to_create,
            update_conflicts=True,
            unique_fields=["user_low", "user_high"],
            update_fields=["times_met", "first_met_at", "last_met_at"],
        )
