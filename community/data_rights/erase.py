"""What deleting an account does to community's tables (community.services.erasure runs it, after events and
messaging).

Participation and ties, and the newest answer about programme figures, move to the anonymous stand-in so past
figures don't change; safeguarding concerns and the audit of what others did about the person move to it too (kept
for the safeguarding retention period); everything else about them is deleted, and their name is taken out of other
people's notifications and of the admin's change log.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db.models import F, Q
from rest_framework.authtoken.models import Token

from community.models import (
    ActivityStatus,
    AuditEntry,
    DataExport,
    DestinationArea,
    EvaluationConsent,
    Goal,
    GoalStep,
    Invitation,
    InvitationRedemption,
    Membership,
    ModeratorDuty,
    Notification,
    NotificationPreference,
    ParticipationEntry,
    PersonBlock,
    PersonMute,
    PolicyAcceptance,
    Profile,
    SafeguardingConcern,
    Tie,
    User,
    WellbeingCheckIn,
    WellbeingSettings,
)
from community.services.erasure import (
    erase_by_rules,
    name_mentions_q,
    stored_files_delete_on_commit,
    without_names,
)


def _delete(model, field: str):
    """A rule that deletes the person's rows (`field` points at them)."""
    return lambda user, stand_in, now: model.objects.filter(**{field: user}).delete()[0]


def _nothing(user: User, stand_in: User, now: datetime) -> int:
    return 0


def _invitation_notes(user: User, stand_in: User, now: datetime) -> int:
    """A single-use invitation's private note says who it was for: emptied once that person has gone."""
    return Invitation.objects.filter(redemptions__user=user, max_uses=1).exclude(note="").update(note="")


def _profile(user: User, stand_in: User, now: datetime) -> int:
    avatars = Profile.objects.filter(user=user).exclude(avatar="").values_list("avatar", flat=True)
    stored_files_delete_on_commit(Profile._meta.get_field("avatar").storage, list(avatars))
    return Profile.objects.filter(user=user).delete()[0]


def _notifications(user: User, stand_in: User, now: datetime) -> int:
    """Theirs are deleted; other people's that name them ("Sam would like to join") say "Deleted member"."""
    deleted = Notification.objects.filter(user=user).delete()[0]
    naming = Notification.objects.filter(name_mentions_q(user, "title", "body"))
    for notification in naming.only("pk", "title", "body"):
        title, body = without_names(notification.title, user)[:200], without_names(notification.body, user)
        if (title, body) != (notification.title, notification.body):  # the filter also finds "Jo" inside "join"
            notification.title, notification.body = title, body
            notification.save(update_fields=["title", "body"])
    return deleted


def _participation(user: User, stand_in: User, now: datetime) -> int:
    return ParticipationEntry.objects.filter(user=user).update(user=stand_in)


def _ties(user: User, stand_in: User, now: datetime) -> int:
    """Each tie's pair stays ordered (user_low < user_high) with the stand-in in the person's place."""
    moved = Tie.objects.filter(user_low=user, user_high__lt=stand_in.pk).update(
        user_low=F("user_high"), user_high=stand_in
    )
    moved += Tie.objects.filter(user_low=user).update(user_low=stand_in)
    moved += Tie.objects.filter(user_high=user, user_low__lt=stand_in.pk).update(user_high=stand_in)
    moved += Tie.objects.filter(user_high=user).update(user_high=F("user_low"), user_low=stand_in)
    return moved


def _consent(user: User, stand_in: User, now: datetime) -> int:
    """The newest answer, with its date, is the stand-in's (figures count it as before); the rest go."""
    newest = EvaluationConsent.objects.filter(user=user).order_by("-recorded_at", "-id").first()
    if newest is None:
        return 0
    EvaluationConsent.objects.create(user=stand_in, consents=newest.consents, recorded_at=newest.recorded_at)
    return 1 + EvaluationConsent.objects.filter(user=user).delete()[0]


def _goal_steps(user: User, stand_in: User, now: datetime) -> int:
    return GoalStep.objects.filter(goal__user=user).delete()[0]


def _blocks(user: User, stand_in: User, now: datetime) -> int:
    return PersonBlock.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()[0]


def _mutes(user: User, stand_in: User, now: datetime) -> int:
    return PersonMute.objects.filter(Q(muter=user) | Q(muted=user)).delete()[0]


def _data_exports(user: User, stand_in: User, now: datetime) -> int:
    exports = DataExport.objects.filter(user=user)
    stored_files_delete_on_commit(storages["exports"], list(exports.values_list("file_name", flat=True)))
    return exports.delete()[0]


def _concerns(user: User, stand_in: User, now: datetime) -> int:
    return SafeguardingConcern.objects.filter(person=user).update(person=stand_in)


def _audit(user: User, stand_in: User, now: datetime) -> int:
    """What others (staff, moderators, the system) did about the person is kept, on the stand-in; what they did to
    their own account (signing up, changing their password) goes. Returns how many were kept."""
    about = AuditEntry.objects.filter(target_type=User._meta.label_lower, target_id=str(user.pk))
    about.filter(actor=user).delete()
    return about.update(target_id=str(stand_in.pk))


def _admin_log(user: User) -> int:
    """The Django admin's change log: rows about their account go; other rows that name them say "Deleted member"."""
    types = ContentType.objects.get_for_models(User, Profile).values()
    deleted = LogEntry.objects.filter(content_type__in=types, object_id=str(user.pk)).delete()[0]
    for entry in LogEntry.objects.filter(name_mentions_q(user, "object_repr", "change_message")):
        repr_, message = without_names(entry.object_repr, user)[:200], without_names(entry.change_message, user)
        if (repr_, message) != (entry.object_repr, entry.change_message):
            entry.object_repr, entry.change_message = repr_, message
            entry.save(update_fields=["object_repr", "change_message"])
    return deleted


RULES = {
    "community.User": _nothing,  # community.services.erasure deletes the row last
    "community.Invitation": _invitation_notes,
    "community.InvitationRedemption": _delete(InvitationRedemption, "user"),
    "authtoken.Token": _delete(Token, "user"),
    "community.Profile": _profile,
    "community.NotificationPreference": _delete(NotificationPreference, "user"),
    "community.PolicyAcceptance": _delete(PolicyAcceptance, "user"),
    "community.Membership": _delete(Membership, "user"),
    "community.Notification": _notifications,
    "community.ParticipationEntry": _participation,
    "community.Tie": _ties,
    "community.WellbeingCheckIn": _delete(WellbeingCheckIn, "user"),
    "community.WellbeingSettings": _delete(WellbeingSettings, "user"),
    "community.EvaluationConsent": _consent,
    "community.GoalStep": _goal_steps,
    "community.Goal": _delete(Goal, "user"),
    "community.DestinationArea": _delete(DestinationArea, "user"),
    "community.ActivityStatus": _delete(ActivityStatus, "user"),
    "community.PersonBlock": _blocks,
    "community.PersonMute": _mutes,
    "community.DataExport": _data_exports,
    "community.SafeguardingConcern": _concerns,
    "community.AuditEntry": _audit,
    "community.ModeratorDuty": _delete(ModeratorDuty, "moderator"),
    "community.ErasedAccount": _nothing,  # written by community.services.erasure when something was kept
}
KEPT_FOR_SAFEGUARDING = ("community.SafeguardingConcern", "community.AuditEntry")


def erase_user(*, user: User, stand_in: User, now: datetime) -> dict:
    result = erase_by_rules("community", RULES, kept=KEPT_FOR_SAFEGUARDING, user=user, stand_in=stand_in, now=now)
    result["counts"]["admin.LogEntry"] = _admin_log(user)
    return result
