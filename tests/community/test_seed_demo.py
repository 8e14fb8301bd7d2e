"""`manage.py seed_demo` makes the demo community through the services, and running it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from community.models import AuditEntry, Group, Membership, MembershipRole, MembershipStatus, SiteRole, User


def _counts():
    return {
        "members": User.objects.filter(site_role=SiteRole.MEMBER).count(),
        "moderators": User.objects.filter(site_role=SiteRole.MODERATOR).count(),
        "staff": User.objects.filter(site_role=SiteRole.STAFF).count(),
        "evaluators": User.objects.filter(site_role=SiteRole.EVALUATOR).count(),
        "groups": Group.objects.count(),
        "leaders": Membership.objects.filter(role=MembershipRole.LEADER, status=MembershipStatus.ACTIVE).count(),
        "memberships": Membership.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_builds_the_demo_community_and_prints_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == {
        "members": 43, "moderators": 2, "staff": 1, "evaluators": 1, "groups": 4, "leaders": 3,
        "memberships": _counts()["memberships"],
    }  # fmt: skip
    assert Membership.objects.filter(status=MembershipStatus.PENDING).exists(), "some people asked to join"
    assert User.objects.filter(age_band="16_17").exists(), "some demo members are under 18"
    assert AuditEntry.objects.filter(action="account.signed_up").count() == 43
    printed = out.getvalue()
    assert "staff@demo.example.org" in printed
    assert "here-and-now-demo" in printed


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before


@pytest.mark.django_db
def test_if_empty_leaves_a_database_with_people_alone(member):
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert Group.objects.count() == 0
    assert "already has people" in out.getvalue()


@pytest.mark.django_db
def test_demo_logins_work(client):
    call_command("seed_demo", stdout=StringIO())
    assert client.login(email="leader.jay@demo.example.org", password="here-and-now-demo")
