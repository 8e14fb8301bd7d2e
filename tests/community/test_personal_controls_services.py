"""Block and mute: idempotent, reversible, never about yourself, never for evaluators, and moderators and staff can be
muted but not blocked."""

from __future__ import annotations

import pytest

from community.errors import Forbidden, InvalidInput, NotFound
from community.models import AuditEntry, Notification, PersonBlock, PersonMute, SiteRole
from community.selectors.personal_controls import ControlState, control_state, my_blocks, my_mutes
from community.services.personal_controls import person_block, person_mute, person_unblock, person_unmute

pytestmark = pytest.mark.django_db


@pytest.fixture
def kai(make_user):
    return make_user(display_name="Kai")


def test_blocking_twice_keeps_one_block_and_says_nothing_changed(member, kai):
    first = person_block(actor=member, user_id=kai.pk)
    second = person_block(actor=member, user_id=kai.pk)

    assert (first.changed, second.changed) == (True, False)
    assert PersonBlock.objects.filter(blocker=member, blocked=kai).count() == 1
    assert [row.blocked for row in my_blocks(user=member)] == [kai]


def test_unblocking_undoes_it_and_is_harmless_when_there_was_no_block(member, kai):
    person_block(actor=member, user_id=kai.pk)

    assert person_unblock(actor=member, user_id=kai.pk).changed is True
    assert person_unblock(actor=member, user_id=kai.pk).changed is False
    assert not PersonBlock.objects.exists()


def test_muting_and_unmuting(member, kai):
    assert person_mute(actor=member, user_id=kai.pk).changed is True
    assert person_mute(actor=member, user_id=kai.pk).changed is False
    assert [row.muted for row in my_mutes(user=member)] == [kai]

    assert person_unmute(actor=member, user_id=kai.pk).changed is True
    assert not PersonMute.objects.exists()


def test_the_other_person_is_never_told(member, kai):
    person_block(actor=member, user_id=kai.pk)
    person_mute(actor=member, user_id=kai.pk)

    assert not Notification.objects.filter(user=kai).exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("change", [person_block, person_mute, person_unblock, person_unmute])
def test_you_cannot_block_or_mute_yourself(member, change):
    with pytest.raises(InvalidInput) as error:
        change(actor=member, user_id=member.pk)
    assert error.value.code == "not_yourself"


@pytest.mark.parametrize("change", [person_block, person_mute, person_unblock, person_unmute])
def test_evaluators_have_no_chat_so_nothing_to_block_or_mute(evaluator, kai, change):
    with pytest.raises(Forbidden) as error:
        change(actor=evaluator, user_id=kai.pk)
    assert error.value.code == "forbidden"


@pytest.mark.parametrize("change", [person_block, person_mute])
def test_an_unknown_or_closed_account_is_not_found(member, make_user, change):
    closed = make_user(display_name="Gone", is_active=False)
    for user_id in (closed.pk, 999_999):
        with pytest.raises(NotFound) as error:
            change(actor=member, user_id=user_id)
        assert error.value.code == "person_not_found"


def test_an_old_block_of_a_closed_account_can_still_be_taken_away(member, kai):
    person_block(actor=member, user_id=kai.pk)
    kai.is_active = False
    kai.save(update_fields=["is_active"])

    assert person_unblock(actor=member, user_id=kai.pk).changed is True


@pytest.mark.parametrize("role", [SiteRole.MODERATOR, SiteRole.STAFF])
def test_moderators_and_staff_can_be_muted_but_not_blocked(member, make_user, role):
    helper = make_user(role=role, display_name=f"Helper {role}")

    with pytest.raises(Forbidden) as error:
        person_block(actor=member, user_id=helper.pk)
    assert error.value.code == "cannot_block_staff"
    assert person_mute(actor=member, user_id=helper.pk).changed is True
    assert control_state(viewer=member, person=helper) == ControlState(
        blocked=False, muted=True, can_block=False, can_mute=True
    )


def test_control_state_for_a_profile(member, kai):
    assert control_state(viewer=member, person=kai) == ControlState(
        blocked=False, muted=False, can_block=True, can_mute=True
    )
    person_block(actor=member, user_id=kai.pk)
    assert control_state(viewer=member, person=kai).blocked is True
    assert control_state(viewer=member, person=member) == ControlState(
        blocked=False, muted=False, can_block=False, can_mute=False
    )
