"""Staff role management: site roles and the safeguarding lead flag."""

from __future__ import annotations

import pytest

from community.errors import Conflict, Forbidden, InvalidInput
from community.models import AuditEntry, Notification, SiteRole, User
from community.services.roles import user_set_safeguarding_lead, user_set_site_role

pytestmark = pytest.mark.django_db


def test_staff_makes_a_member_a_moderator(staff, member):
    user = user_set_site_role(actor=staff, user=member, role=SiteRole.MODERATOR)
    member.refresh_from_db()
    assert member.site_role == user.site_role == SiteRole.MODERATOR

    entry = AuditEntry.objects.get()
    assert entry.action == "user.site_role_changed"
    assert entry.actor == staff
    assert entry.target_id == str(member.pk)
    assert entry.data["from"] == SiteRole.MEMBER
    assert entry.data["to"] == SiteRole.MODERATOR

    notification = Notification.objects.get(user=member)
    assert notification.kind == "role_changed"
    assert "moderator" in notification.body


def test_same_role_again_changes_nothing(staff, member):
    user_set_site_role(actor=staff, user=member, role=SiteRole.MEMBER)
    assert not AuditEntry.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("actor_fixture", ["member", "moderator", "evaluator", "leader"])
def test_only_staff_change_roles(request, actor_fixture, make_user):
    actor = request.getfixturevalue(actor_fixture)
    target = make_user()
    with pytest.raises(Forbidden) as error:
        user_set_site_role(actor=actor, user=target, role=SiteRole.STAFF)
    assert error.value.code == "not_staff"
    with pytest.raises(Forbidden) as error:
        user_set_safeguarding_lead(actor=actor, user=target, value=True)
    assert error.value.code == "not_staff"
    target.refresh_from_db()
    assert target.site_role == SiteRole.MEMBER


def test_unknown_role_is_refused(staff, member):
    with pytest.raises(InvalidInput) as error:
        user_set_site_role(actor=staff, user=member, role="admin")
    assert error.value.code == "invalid_role"


def test_the_last_staff_member_cannot_stop_being_staff(staff):
    with pytest.raises(Conflict) as error:
        user_set_site_role(actor=staff, user=staff, role=SiteRole.MEMBER)
    assert error.value.code == "last_staff"
    staff.refresh_from_db()
    assert staff.site_role == SiteRole.STAFF


def test_inactive_staff_do_not_count_as_another_staff_member(staff, make_user):
    make_user(role=SiteRole.STAFF, is_active=False)
    with pytest.raises(Conflict) as error:
        user_set_site_role(actor=staff, user=staff, role=SiteRole.MODERATOR)
    assert error.value.code == "last_staff"


def test_staff_can_step_down_when_someone_else_is_staff(staff, make_user):
    other = make_user(role=SiteRole.STAFF)
    user_set_site_role(actor=staff, user=staff, role=SiteRole.MEMBER)
    staff.refresh_from_db()
    assert staff.site_role == SiteRole.MEMBER
    assert User.objects.filter(site_role=SiteRole.STAFF).get() == other


def test_safeguarding_lead_on_and_off(staff, make_user):
    colleague = make_user(role=SiteRole.STAFF)
    user_set_safeguarding_lead(actor=staff, user=colleague, value=True)
    colleague.refresh_from_db()
    assert colleague.is_safeguarding_lead is True
    user_set_safeguarding_lead(actor=staff, user=colleague, value=False)
    colleague.refresh_from_db()
    assert colleague.is_safeguarding_lead is False
    assert list(AuditEntry.objects.order_by("id").values_list("action", "data")) == [
        ("user.safeguarding_lead_changed", {"value": True}),
        ("user.safeguarding_lead_changed", {"value": False}),
    ]
    assert Notification.objects.filter(user=colleague, kind="role_changed").count() == 2


def test_only_staff_can_be_safeguarding_lead(staff, moderator):
    with pytest.raises(InvalidInput) as error:
        user_set_safeguarding_lead(actor=staff, user=moderator, value=True)
    assert error.value.code == "safeguarding_lead_must_be_staff"
    assert not AuditEntry.objects.exists()


def test_leaving_staff_also_ends_being_safeguarding_lead(staff, make_user):
    lead = make_user(role=SiteRole.STAFF, is_safeguarding_lead=True)
    user_set_site_role(actor=staff, user=lead, role=SiteRole.MODERATOR)
    lead.refresh_from_db()
    assert lead.site_role == SiteRole.MODERATOR
    assert lead.is_safeguarding_lead is False
    assert AuditEntry.objects.get().data["safeguarding_lead_cleared"] is True
