"""Moderator duty: moderators and staff go on and off duty; doing it twice is harmless; it is audited."""

from __future__ import annotations

import pytest

from community.errors import Forbidden
from community.models import AuditEntry, ModeratorDuty
from community.selectors.duty import anyone_on_duty, is_on_duty, moderators_on_duty
from community.services.duty import duty_end, duty_start

pytestmark = pytest.mark.django_db


def test_a_moderator_goes_on_and_off_duty(moderator):
    started = duty_start(actor=moderator)
    assert started.changed and started.on_duty
    assert is_on_duty(user=moderator)
    assert list(moderators_on_duty()) == [moderator]
    ended = duty_end(actor=moderator)
    assert ended.changed and not ended.on_duty
    assert ended.duty.ended_at is not None
    assert not anyone_on_duty()
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == ["duty.started", "duty.ended"]


def test_starting_twice_keeps_one_open_duty_and_ending_twice_is_harmless(staff):
    first = duty_start(actor=staff)
    again = duty_start(actor=staff)
    assert not again.changed
    assert again.duty.pk == first.duty.pk
    assert ModeratorDuty.objects.filter(moderator=staff, ended_at__isnull=True).count() == 1
    duty_end(actor=staff)
    assert duty_end(actor=staff).changed is False
    assert AuditEntry.objects.filter(action="duty.ended").count() == 1


@pytest.mark.parametrize("who", ["member", "leader", "evaluator"])
def test_only_moderators_and_staff_go_on_duty(request, who):
    person = request.getfixturevalue(who)
    for change in (duty_start, duty_end):
        with pytest.raises(Forbidden) as error:
            change(actor=person)
        assert error.value.code == "moderators_only"
    assert not ModeratorDuty.objects.exists()
