"""Shared fixtures: one user per role, a group with a leader, API clients."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.utils.text import slugify
from rest_framework.test import APIClient

from community.models import Group, JoinPolicy, Membership, MembershipRole, MembershipStatus, SiteRole, User

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def accept_current_policies(user: User) -> None:
    """As at sign-up: the person has accepted the current community agreement and privacy notice, so the gate
    (community.middleware.PolicyGateMiddleware) lets them through. Tests of the gate make people who haven't."""
    from community.services.policies import policies_accept_current

    policies_accept_current(actor=user)


@pytest.fixture
def make_user(db):
    def make(
        *, role: str = SiteRole.MEMBER, display_name: str | None = None, password: str = "a-long-pass-phrase", **fields
    ) -> User:
        n = next(_counter)
        name = display_name or f"{role.title()}{n}"
        user = User.objects.create_user(
            email=fields.pop("email", f"{slugify(name)}-{n}@example.org"),
            password=password,
            display_name=name,
            site_role=role,
            **fields,
        )
        accept_current_policies(user)
        return user

    return make


@pytest.fixture
def make_group(db):
    def make(*, name: str | None = None, join_policy: str = JoinPolicy.REQUEST, is_listed: bool = True, **fields):
        n = next(_counter)
        name = name or f"Group {n}"
        return Group.objects.create(
            name=name, slug=fields.pop("slug", f"group-{n}"), join_policy=join_policy, is_listed=is_listed, **fields
        )

    return make


@pytest.fixture
def add_member(db):
    def add(
        group: Group, user: User, *, role: str = MembershipRole.MEMBER, status: str = MembershipStatus.ACTIVE
    ) -> Membership:
        from django.utils import timezone

        return Membership.objects.create(
            group=group,
            user=user,
            role=role,
            status=status,
            joined_at=timezone.now() if status == MembershipStatus.ACTIVE else None,
        )

    return add


@pytest.fixture
def member(make_user):
    return make_user(role=SiteRole.MEMBER, display_name="Robin")


@pytest.fixture
def moderator(make_user):
    return make_user(role=SiteRole.MODERATOR, display_name="Mod Sam")


@pytest.fixture
def staff(make_user):
    return make_user(role=SiteRole.STAFF, display_name="Staff Alex")


@pytest.fixture
def evaluator(make_user):
    return make_user(role=SiteRole.EVALUATOR, display_name="Evaluator Kim")


@pytest.fixture
def group(make_group):
    return make_group(name="Art Club", slug="art-club")


@pytest.fixture
def leader(make_user, group, add_member):
    user = make_user(display_name="Leader Jo")
    add_member(group, user, role=MembershipRole.LEADER)
    return user


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """An API client logged in (by token, as an app would be) as the given user."""

    def as_user(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return as_user


@pytest.fixture
def safeguarding_defaults(db):
    """The default crisis phrases and support contacts. Migrations seed them, but a transactional test's flush
    empties every table, so tests with transaction=True that need crisis detection ask for this."""
    from community.services.safeguarding import crisis_phrases_load_defaults, support_contacts_load_defaults

    crisis_phrases_load_defaults()
    support_contacts_load_defaults()
