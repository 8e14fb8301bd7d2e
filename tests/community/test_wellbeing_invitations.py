"""The gentle check-in invitation: at most every HN_CHECKIN_INVITE_DAYS, only to members who want it and haven't
checked in lately, never to staff, moderators or evaluators. Tests run on a frozen clock."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import EmailStatus, Notification, SiteRole, WellbeingCheckIn, WellbeingSettings
from community.services.wellbeing import checkin_invitations_send, checkin_record, wellbeing_settings_set
from community.tasks import send_checkin_invitations

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def joined_long_ago(make_user):
    def make(**fields):
        return make_user(date_joined=NOW - 60 * DAY, **fields)

    return make


def _invitations(user):
    return Notification.objects.filter(user=user, kind="wellbeing_invitation")


def test_a_member_gets_one_gentle_invitation_linking_to_the_check_in(joined_long_ago):
    robin = joined_long_ago()
    assert checkin_invitations_send(now=NOW) == 1
    invitation = _invitations(robin).get()
    assert invitation.url == reverse("community:wellbeing-checkin")
    assert "only you see your answers" in invitation.body
    assert invitation.email_status == EmailStatus.NOT_WANTED  # not emailed unless they ask for it
    assert WellbeingSettings.objects.get(user=robin).last_invited_at == NOW


def test_running_again_sends_nothing_new_until_the_gap_has_passed(joined_long_ago, settings):
    robin = joined_long_ago()
    checkin_invitations_send(now=NOW)
    assert checkin_invitations_send(now=NOW) == 0
    assert checkin_invitations_send(now=NOW + 27 * DAY) == 0
    assert _invitations(robin).count() == 1
    assert checkin_invitations_send(now=NOW + 28 * DAY) == 1
    assert _invitations(robin).count() == 2
    settings.HN_CHECKIN_INVITE_DAYS = 7
    assert checkin_invitations_send(now=NOW + 35 * DAY) == 1


def test_a_recent_check_in_means_no_invitation(joined_long_ago, monkeypatch):
    robin = joined_long_ago()
    monkeypatch.setattr(timezone, "now", lambda: NOW - 10 * DAY)
    checkin_record(actor=robin, answers={"ons_happiness": 7})
    assert checkin_invitations_send(now=NOW) == 0
    assert checkin_invitations_send(now=NOW + 18 * DAY) == 1  # 28 days after that check-in


def test_switching_invitations_off_stops_them_and_on_starts_them_again(joined_long_ago):
    robin = joined_long_ago()
    wellbeing_settings_set(actor=robin, invitations_on=False)
    assert checkin_invitations_send(now=NOW) == 0
    assert checkin_invitations_send(now=NOW + 100 * DAY) == 0
    wellbeing_settings_set(actor=robin, invitations_on=True)
    assert checkin_invitations_send(now=NOW + 101 * DAY) == 1


def test_never_sent_to_staff_moderators_evaluators_or_closed_accounts(joined_long_ago):
    for role in (SiteRole.STAFF, SiteRole.MODERATOR, SiteRole.EVALUATOR):
        joined_long_ago(role=role)
    joined_long_ago(is_active=False)
    joined_long_ago(suspended_until=NOW + 3 * DAY)
    assert checkin_invitations_send(now=NOW) == 0
    assert not Notification.objects.filter(kind="wellbeing_invitation").exists()


def test_a_new_member_is_first_invited_once_they_have_been_here_the_whole_gap(make_user):
    newcomer = make_user(date_joined=NOW - 3 * DAY)
    assert checkin_invitations_send(now=NOW) == 0
    assert checkin_invitations_send(now=NOW + 25 * DAY) == 1
    assert _invitations(newcomer).count() == 1


def test_each_due_member_is_invited_once_in_one_run(joined_long_ago):
    people = [joined_long_ago() for _ in range(4)]
    checkin_record(actor=people[0], answers={"ons_happiness": 7})  # checked in just now (real clock)
    WellbeingCheckIn.objects.filter(user=people[0]).update(created_at=NOW - DAY)
    assert checkin_invitations_send(now=NOW) == 3
    assert sorted(Notification.objects.filter(kind="wellbeing_invitation").values_list("user_id", flat=True)) == sorted(
        person.pk for person in people[1:]
    )


def test_the_daily_task_calls_the_service(joined_long_ago, monkeypatch):
    joined_long_ago()
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    assert send_checkin_invitations.call_local() == 1
    assert send_checkin_invitations.call_local() == 0


def test_many_members_are_invited_in_batches_each_exactly_once(joined_long_ago, monkeypatch):
    from community.services import wellbeing

    monkeypatch.setattr(wellbeing, "INVITATION_BATCH", 2)
    people = [joined_long_ago() for _ in range(5)]
    assert checkin_invitations_send(now=NOW) == 5
    assert checkin_invitations_send(now=NOW) == 0
    assert all(_invitations(person).count() == 1 for person in people)
