"""The admin shows every model to staff, searches, and changes things only through services."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from community.models import AuditEntry, Membership, MembershipRole, MembershipStatus, SiteRole

PROJECT_APPS = ["community", "events", "messaging"]


def test_every_project_model_has_an_admin():
    missing = [
        model._meta.label
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry
    ]
    assert missing == []


@pytest.mark.django_db
def test_staff_can_open_every_list_and_search_it(client, staff):
    client.force_login(staff)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert client.get(url, {"q": "robin"}).status_code == 200, url


@pytest.mark.django_db
def test_members_and_moderators_cannot_open_the_admin(client, member, moderator):
    for user in (member, moderator):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_admin_action_approves_a_request_through_the_service(client, staff, group, make_user, add_member):
    asker = make_user(display_name="Asker")
    membership = add_member(group, asker, status=MembershipStatus.PENDING)
    client.force_login(staff)
    response = client.post(
        reverse("admin:community_membership_changelist"),
        {"action": "action_approve_request", "_selected_action": [membership.pk]},
        follow=True,
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.decided_by == staff
    assert AuditEntry.objects.filter(target_id=str(membership.pk), actor=staff).exists()


@pytest.mark.django_db
def test_admin_action_reports_a_refusal_without_changing_anything(client, staff, group, make_user, add_member):
    already = make_user(display_name="Already In")
    membership = add_member(group, already, role=MembershipRole.MEMBER)
    client.force_login(staff)
    response = client.post(
        reverse("admin:community_membership_changelist"),
        {"action": "action_approve_request", "_selected_action": [membership.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "(not_pending)" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.ACTIVE


@pytest.mark.django_db
def test_admin_role_action_uses_the_roles_service(client, staff, member):
    client.force_login(staff)
    client.post(
        reverse("admin:community_user_changelist"),
        {"action": "action_make_moderator", "_selected_action": [member.pk]},
    )
    member.refresh_from_db()
    assert member.site_role == SiteRole.MODERATOR
    assert AuditEntry.objects.filter(target_id=str(member.pk), actor=staff).exists()


@pytest.mark.django_db
def test_admin_never_edits_rows_directly(client, staff, group):
    client.force_login(staff)
    change_url = reverse("admin:community_group_change", args=[group.pk])
    response = client.post(change_url, {"name": "Renamed behind the service's back"})
    group.refresh_from_db()
    assert group.name == "Art Club"
    assert response.status_code == 403
