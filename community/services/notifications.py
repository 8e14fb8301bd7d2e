"""Notifications: the shared way every feature tells a person something.

`notify` (one person) and `notify_many` (many people, one INSERT) store the notification, then, only once the
transaction commits, push it live to the person's open tabs and queue an email when one is wanted. Safety-critical
kinds always email at once; other emails follow the person's preferences and wait for their quiet hours to end.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community import permissions, realtime
from community.errors import InvalidInput
from community.models import EmailStatus, Notification, NotificationPreference, Profile, User
from community.notification_kinds import NotificationKind, get_kind
from community.selectors.notifications import (
    NotificationPreferences,
    notification_payload,
    notification_preferences_for_user,
    unread_counts,
)

logger = logging.getLogger(__name__)

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


# --- Creating and delivering --------------------------------------------------------------------------------------


def notify(*, user: User, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Tell `user` something: stored now; pushed live and emailed (if wanted) once the transaction commits."""
    return _store_and_deliver(users=[user], kind=kind, title=title, body=body, url=url)[0]


def notify_many(*, users: Iterable[User], kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Tell many people the same thing with one INSERT; each person's email and live push follow on commit."""
    unique_users = list({user.pk: user for user in users}.values())
    if not unique_users:
        _kind_or_error(kind)
        return []
    return _store_and_deliver(users=unique_users, kind=kind, title=title, body=body, url=url)


@dataclass(frozen=True)
class _EmailPlan:
    wanted: bool
    send_at: datetime | None = None  # None: send at once


def _kind_or_error(key: str) -> NotificationKind:
    try:
        return get_kind(key)
    except LookupError:
        raise InvalidInput(f"There is no kind of notification called {key!r}.", code="unknown_kind") from None


def _store_and_deliver(*, users: list[User], kind: str, title: str, body: str, url: str) -> list[Notification]:
    notification_kind = _kind_or_error(kind)
    with transaction.atomic():
        plans = _email_plans(users=users, kind=notification_kind, now=timezone.now())
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url[:300],
                    email_status=EmailStatus.QUEUED if plans[user.pk].wanted else EmailStatus.NOT_WANTED,
                )
                for user in users
            ]
        )
        transaction.on_commit(lambda: _deliver(notifications=notifications, plans=plans), robust=True)
    return notifications


def _email_plans(*, users: list[User], kind: NotificationKind, now: datetime) -> dict[int, _EmailPlan]:
    """Who gets an email, and when. Two queries however many people there are."""
    user_ids = [user.pk for user in users]
    choices = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind.key).values_list("user_id", "email")
    )
    quiet_hours = {
        user_id: (start, end)
        for user_id, start, end in Profile.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "quiet_hours_start", "quiet_hours_end"
        )
    }
    plans = {}
    for user in users:
        if not user.is_active:
            plans[user.pk] = _EmailPlan(wanted=False)
        elif kind.safety_critical:
            plans[user.pk] = _EmailPlan(wanted=True)
        elif choices.get(user.pk, kind.email_by_default):
            start, end = quiet_hours.get(user.pk, (None, None))
            plans[user.pk] = _EmailPlan(wanted=True, send_at=quiet_hours_end_after(start=start, end=end, now=now))
        else:
            plans[user.pk] = _EmailPlan(wanted=False)
    return plans


def quiet_hours_end_after(*, start: time | None, end: time | None, now: datetime) -> datetime | None:
    """When quiet hours that include `now` end (UK time), or None if `now` is outside them.

    Quiet hours may wrap past midnight (22:00 to 07:00). Start is inside, end is outside.
    """
    if start is None or end is None or start == end:
        return None
    local_now = timezone.localtime(now)
    current = local_now.time().replace(tzinfo=None)
    if start < end:
        inside = start <= current < end
    else:
        inside = current >= start or current < end
    if not inside:
        return None
    ends = datetime.combine(local_now.date(), end, tzinfo=local_now.tzinfo)
    if ends <= local_now:
        ends = datetime.combine(local_now.date() + timedelta(days=1), end, tzinfo=local_now.tzinfo)
    return ends


def _deliver(*, notifications: list[Notification], plans: dict[int, _EmailPlan]) -> None:
    """Runs after commit: queue the emails, then push each notification to its person's open tabs."""
    from community import tasks  # tasks imports this module

    for notification in notifications:
        plan = plans[notification.user_id]
        if not plan.wanted:
            continue
        try:
            if plan.send_at is None:
                tasks.send_notification_email(notification.pk)
            else:
                tasks.send_notification_email.schedule(args=(notification.pk,), eta=plan.send_at)
        except Exception:  # a queue outage must not stop the live push or the other emails
            logger.exception("Could not queue the email for notification %s", notification.pk)

    counts = unread_counts(user_ids=[notification.user_id for notification in notifications])
    for notification in notifications:
        _push(
            notification.user_id,
            {
                "type": "notification",
                "notification": notification_payload(notification),
                "unread_count": counts.get(notification.user_id, 0),
            },
        )


def _push(user_id: int, frame: dict) -> None:
    try:
        realtime.send_to_user(user_id, frame)
    except Exception:  # the notification is stored; a missed live update only means a stale badge
        logger.exception("Could not push a %s frame to user %s", frame.get("type"), user_id)


# --- The email itself (run by the Huey task) ----------------------------------------------------------------------


def notification_email_send(*, notification_id: int) -> bool:
    """Send one queued notification email. Safe to run twice: only a notification still 'queued' is sent.

    Returns True if an email went out.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.email_status != EmailStatus.QUEUED:
            return False
        if not _still_wants_email(notification):
            notification.email_status = EmailStatus.NOT_WANTED
            notification.save(update_fields=["email_status"])
            return False
        try:
            _send_email(notification)
        except Exception:
            logger.exception("Could not send the email for notification %s", notification.pk)
            notification.email_status = EmailStatus.FAILED
            notification.save(update_fields=["email_status"])
            return False
        notification.email_status = EmailStatus.SENT
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["email_status", "emailed_at"])
    return True


def notification_emails_resend_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the emails whose job was lost: still 'queued' after HN_EMAIL_RESEND_AFTER_MINUTES, and the person isn't
    in their quiet hours now (a job scheduled for the end of them is still waiting; if it was lost too, a run after
    the quiet hours sends it). Safety-critical kinds ignore quiet hours, here as when first sent.

    Huey takes a job off the queue before running it, so a consumer killed mid-job (or a Redis that restarted empty)
    loses the job but not the notification: it stays 'queued' (the send and the mark commit together). Each one goes
    through notification_email_send, which locks the row and sends only what is still queued, so a sweep racing the
    original job, or another sweep, never sends twice. Returns how many emails went out.
    """
    now = now or timezone.now()
    after = timedelta(minutes=getattr(settings, "HN_EMAIL_RESEND_AFTER_MINUTES", 5))
    waiting = list(
        Notification.objects.filter(email_status=EmailStatus.QUEUED, created_at__lte=now - after)
        .order_by("id")
        .values_list("pk", "user_id", "kind")[:limit]
    )
    quiet = {
        user_id
        for user_id, start, end in Profile.objects.filter(
            user_id__in={user_id for _, user_id, _ in waiting}
        ).values_list("user_id", "quiet_hours_start", "quiet_hours_end")
        if quiet_hours_end_after(start=start, end=end, now=now) is not None
    }
    return sum(
        notification_email_send(notification_id=notification_id)
        for notification_id, user_id, kind in waiting
        if user_id not in quiet or _is_safety_critical(kind)
    )


def _is_safety_critical(key: str) -> bool:
    try:
        return get_kind(key).safety_critical
    except LookupError:
        return False


def _still_wants_email(notification: Notification) -> bool:
    """Checked again at sending time: people may be deactivated, or switch an email off while it waits."""
    user = notification.user
    if not user.is_active or not user.email:
        return False
    try:
        kind = get_kind(notification.kind)
    except LookupError:
        return True
    if kind.safety_critical:
        return True
    choice = NotificationPreference.objects.filter(user=user, kind=kind.key).values_list("email", flat=True).first()
    return kind.email_by_default if choice is None else choice


def site_url() -> str:
    return getattr(settings, "HN_SITE_URL", DEFAULT_SITE_URL).rstrip("/")


def absolute_link(url: str) -> str:
    """A full link for an email. Only paths on this site are linked; anything else goes to the notifications page."""
    if not is_local_path(url):
        url = reverse("community:notification-list")
    return site_url() + url


def is_local_path(url: str) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//") and "\\" not in url


def _send_email(notification: Notification) -> None:
    try:
        kind = get_kind(notification.kind)
    except LookupError:
        kind = None
    context = {
        "notification": notification,
        "user": notification.user,
        "link": absolute_link(notification.url),
        "settings_link": site_url() + reverse("community:notification-settings"),
        "safety_critical": bool(kind and kind.safety_critical),
    }
    message = EmailMultiAlternatives(
        subject=notification.title.replace("\n", " ").replace("\r", " "),
        body=render_to_string("community/email/notification.txt", context),
        to=[notification.user.email],
    )
    message.attach_alternative(render_to_string("community/email/notification.html", context), "text/html")
    message.send()


# --- Reading and preferences -------------------------------------------------------------------------------------


def notification_mark_read(*, actor: User, notification: Notification | int) -> Notification:
    """Mark one of your own notifications as read. Marking it again changes nothing."""
    notification_id = notification.pk if isinstance(notification, Notification) else notification
    with transaction.atomic():
        locked = permissions.access_notification(user=actor, notification_id=notification_id, lock=True)
        if locked.read_at is not None:
            return locked
        locked.read_at = timezone.now()
        locked.save(update_fields=["read_at"])
        transaction.on_commit(lambda: _push_read(user_id=actor.pk, ids=[locked.pk], everything=False), robust=True)
    return locked


def notification_mark_all_read(*, actor: User) -> int:
    """Mark all your unread notifications as read. Returns how many changed."""
    with transaction.atomic():
        unread_ids = list(
            Notification.objects.select_for_update().unread().filter(user=actor).values_list("id", flat=True)
        )
        if not unread_ids:
            return 0
        changed = Notification.objects.filter(pk__in=unread_ids, read_at__isnull=True).update(read_at=timezone.now())
        transaction.on_commit(lambda: _push_read(user_id=actor.pk, ids=[], everything=True), robust=True)
    return changed


def _push_read(*, user_id: int, ids: list[int], everything: bool) -> None:
    """Tell the person's other tabs, so their badges match."""
    count = unread_counts(user_ids=[user_id]).get(user_id, 0)
    _push(user_id, {"type": "notifications.read", "ids": ids, "all": everything, "unread_count": count})


def notification_preferences_update(
    *,
    actor: User,
    email_by_kind: dict[str, bool],
    quiet_hours_start: time | None,
    quiet_hours_end: time | None,
) -> NotificationPreferences:
    """Choose which kinds of notification also come by email, and when emails should wait (quiet hours).

    Kinds not in `email_by_kind` keep their current setting.
    """
    for key, email in email_by_kind.items():
        kind = _kind_or_error(key)
        if kind.safety_critical and not email:
            raise InvalidInput(
                f"We always email you about “{kind.label}”, because it's about keeping you safe. "
                "It can't be switched off.",
                code="safety_critical",
            )
    if (quiet_hours_start is None) != (quiet_hours_end is None):
        raise InvalidInput(
            "Please give quiet hours both a start and an end time, or leave both empty.",
            code="invalid_quiet_hours",
        )
    if quiet_hours_start is not None and quiet_hours_start == quiet_hours_end:
        raise InvalidInput(
            "Quiet hours need to start and end at different times.",
            code="invalid_quiet_hours",
        )

    with transaction.atomic():
        profile, _ = Profile.objects.select_for_update().get_or_create(user=actor)
        profile.quiet_hours_start = quiet_hours_start
        profile.quiet_hours_end = quiet_hours_end
        profile.save(update_fields=["quiet_hours_start", "quiet_hours_end", "updated_at"])
        rows = [
            NotificationPreference(user=actor, kind=key, email=bool(email))
            for key, email in email_by_kind.items()
            if not get_kind(key).safety_critical
        ]
        if rows:
            NotificationPreference.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["email"]
            )
    return notification_preferences_for_user(user=actor)
