"""Sanctions: warn, mute in a room, silence, suspend, ban from a group, lift - who may, durations, idempotency, and
what the person is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.errors import Forbidden, InvalidInput, NotFound
from community.models import MembershipStatus, Notification, SiteRole
from messaging.models import Sanction, SanctionKind
from messaging.permissions import post_refusal
from messaging.services.moderation.sanctions import (
    member_ban_from_group,
    member_mute_in_room,
    member_silence,
    member_suspend,
    member_warn,
    sanction_lift,
)
from tests.messaging.moderation_helpers import audit_actions

pytestmark = pytest.mark.django_db


def notices(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="moderation_notice").order_by("id"))


def test_a_warning_is_a_private_kind_notice_sent_once(in_group, moderator, make_user):
    reporter = make_user(display_name="Reporter Pat")
    sanction = member_warn(actor=moderator, user_id=in_group.pk, reason="Please keep it kind in the art chat.")
    again = member_warn(actor=moderator, user_id=in_group.pk, reason="Please keep it kind in the art chat.")
    assert again.pk == sanction.pk
    [notice] = notices(in_group)
    assert "Please keep it kind" in notice.body and "not in trouble" in notice.body
    assert reporter.display_name not in notice.body and moderator.display_name not in notice.body
    assert audit_actions(sanction) == ["sanction.warn"]


def test_mute_in_room_stops_posting_there_only_and_says_until_when(room, in_group, moderator, make_group, add_member):
    from messaging.services.rooms import room_for_group

    other_group = make_group(name="Walking Club")
    add_member(other_group, in_group)
    other_room = room_for_group(group=other_group)
    sanction = member_mute_in_room(actor=moderator, user_id=in_group.pk, room_id=room.pk, minutes=30, reason="Heated")
    assert post_refusal(in_group, room).code == "muted_in_room"
    assert post_refusal(in_group, other_room) is None
    [notice] = notices(in_group)
    assert "Art Club" in notice.title and "until" in notice.body and "Heated" in notice.body
    assert sanction.ends_at - sanction.starts_at == timedelta(minutes=30)


def test_muting_again_for_less_time_changes_nothing_and_for_longer_extends(room, in_group, moderator):
    first = member_mute_in_room(actor=moderator, user_id=in_group.pk, room_id=room.pk, minutes=60, reason="Heated")
    same = member_mute_in_room(actor=moderator, user_id=in_group.pk, room_id=room.pk, minutes=10, reason="Heated")
    assert same.pk == first.pk and same.ends_at == first.ends_at
    assert audit_actions(first) == ["sanction.room_mute"]
    longer = member_mute_in_room(actor=moderator, user_id=in_group.pk, room_id=room.pk, minutes=120, reason="More")
    assert longer.pk == first.pk and longer.ends_at > first.ends_at
    assert audit_actions(first) == ["sanction.room_mute", "sanction.room_mute.extended"]
    assert Sanction.objects.filter(user=in_group).count() == 1


def test_silence_stops_posting_everywhere_until_it_ends(room, in_group, moderator):
    sanction = member_silence(actor=moderator, user_id=in_group.pk, minutes=15, reason="Spamming links")
    assert post_refusal(in_group, room).code == "silenced"
    assert post_refusal(in_group, room, now=sanction.ends_at + timedelta(seconds=1)) is None


@pytest.mark.parametrize("minutes", [0, -5, 43_201, 10**9, 1.5, "30", None, True])
def test_absurd_durations_are_refused_and_nothing_is_written(in_group, moderator, room, minutes):
    with pytest.raises(InvalidInput) as refused:
        member_silence(actor=moderator, user_id=in_group.pk, minutes=minutes, reason="Test")
    assert refused.value.code == "invalid_duration"
    with pytest.raises(InvalidInput):
        member_mute_in_room(actor=moderator, user_id=in_group.pk, room_id=room.pk, minutes=minutes, reason="Test")
    assert not Sanction.objects.exists()


@pytest.mark.parametrize("hours", [0, -1, 8_761, 2.5, "24"])
def test_absurd_suspensions_are_refused(in_group, moderator, hours):
    with pytest.raises(InvalidInput) as refused:
        member_suspend(actor=moderator, user_id=in_group.pk, hours=hours, reason="Test")
    assert refused.value.code == "invalid_duration"
    in_group.refresh_from_db()
    assert in_group.suspended_until is None


def test_who_may_sanction_whom(make_user, moderator, staff, in_group, evaluator):
    other_moderator = make_user(role=SiteRole.MODERATOR, display_name="Mod Two")
    refusals = {
        "yourself": (moderator, moderator.pk),
        "staff": (moderator, staff.pk),
        "moderator by moderator": (moderator, other_moderator.pk),
        "evaluator": (staff, evaluator.pk),
        "member by member": (in_group, moderator.pk),
    }
    codes = {}
    for name, (actor, user_id) in refusals.items():
        with pytest.raises(Forbidden) as refused:
            member_warn(actor=actor, user_id=user_id, reason="Test")
        codes[name] = refused.value.code
    assert codes == {
        "yourself": "not_yourself",
        "staff": "cannot_sanction_staff",
        "moderator by moderator": "cannot_sanction_moderator",
        "evaluator": "cannot_sanction_evaluator",
        "member by member": "moderators_only",
    }
    member_warn(actor=staff, user_id=other_moderator.pk, reason="Staff may warn a moderator")
    with pytest.raises(NotFound):
        member_warn(actor=moderator, user_id=999_999, reason="Nobody")


def test_suspension_sets_the_account_ends_tokens_and_says_until_when(in_group, moderator):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=in_group)
    sanction = member_suspend(actor=moderator, user_id=in_group.pk, hours=48, reason="Threats")
    in_group.refresh_from_db()
    assert in_group.is_suspended and in_group.suspended_until == sanction.ends_at
    assert not Token.objects.filter(user=in_group).exists()
    [notice] = notices(in_group)
    assert "suspended your account until" in notice.body and "Threats" in notice.body
    assert audit_actions(in_group) == ["account.suspended"]


def test_suspension_until_lifted_and_lifting_it(in_group, moderator):
    sanction = member_suspend(actor=moderator, user_id=in_group.pk, hours=None, reason="Serious")
    in_group.refresh_from_db()
    assert sanction.ends_at is None and in_group.is_suspended
    assert "until a moderator lifts it" in notices(in_group)[0].body
    sanction_lift(actor=moderator, sanction_id=sanction.pk, reason="Talked it through")
    sanction_lift(actor=moderator, sanction_id=sanction.pk, reason="Twice")
    in_group.refresh_from_db()
    assert not in_group.is_suspended
    assert audit_actions(sanction) == ["sanction.suspend", "sanction.suspend.lifted"]
    assert notices(in_group)[-1].title == "Your account is no longer suspended"


def test_lifting_a_mute_lets_them_post_again(room, in_group, moderator):
    sanction = member_mute_in_room(actor=moderator, user_id=in_group.pk, room_id=room.pk, minutes=60, reason="Heat")
    sanction_lift(actor=moderator, sanction_id=sanction.pk, reason="Calmer now")
    assert post_refusal(in_group, room) is None
    with pytest.raises(NotFound) as missing:
        sanction_lift(actor=moderator, sanction_id=999_999, reason="x")
    assert missing.value.code == "sanction_not_found"


def test_a_moderator_bans_from_a_group_and_lifting_unbans(group, in_group, moderator):
    from community.models import Membership

    sanction = member_ban_from_group(actor=moderator, user_id=in_group.pk, group_slug=group.slug, reason="Bullying")
    again = member_ban_from_group(actor=moderator, user_id=in_group.pk, group_slug=group.slug, reason="Bullying")
    assert again.pk == sanction.pk
    assert Membership.objects.get(group=group, user=in_group).status == MembershipStatus.BANNED
    about_the_ban = list(Notification.objects.filter(user=in_group, title__contains="Art Club"))
    assert len(about_the_ban) == 1, "one notice, the one that says why"
    assert "Bullying" in about_the_ban[0].body
    sanction_lift(actor=moderator, sanction_id=sanction.pk, reason="Second chance")
    assert Membership.objects.get(group=group, user=in_group).status == MembershipStatus.REMOVED
    with pytest.raises(NotFound):
        member_ban_from_group(actor=moderator, user_id=in_group.pk, group_slug="no-such-group", reason="x")


def test_only_staff_ban_a_peer_leader(group, leader, moderator, staff):
    with pytest.raises(Forbidden):
        member_ban_from_group(actor=moderator, user_id=leader.pk, group_slug=group.slug, reason="x")
    assert not Sanction.objects.exists()
    member_ban_from_group(actor=staff, user_id=leader.pk, group_slug=group.slug, reason="x")
    assert Sanction.objects.get().kind == SanctionKind.GROUP_BAN


def test_an_expired_silence_is_not_in_force(in_group, moderator, room):
    sanction = member_silence(actor=moderator, user_id=in_group.pk, minutes=1, reason="x")
    Sanction.objects.filter(pk=sanction.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() - timedelta(minutes=4)
    )
    assert post_refusal(in_group, room) is None
    again = member_silence(actor=moderator, user_id=in_group.pk, minutes=1, reason="x")
    assert again.pk != sanction.pk
