"""Account services: signing up with a code, logging in for apps, tokens and passwords."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from community.errors import Conflict, DomainError, InvalidInput, NotFound, RateLimited
from community.models import (
    AuditEntry,
    Invitation,
    InvitationRedemption,
    Membership,
    MembershipRole,
    MembershipStatus,
    Notification,
    Profile,
    User,
)
from community.services.accounts import (
    account_authenticate,
    account_password_set,
    account_sign_up,
    account_token_issue,
    account_token_obtain,
    account_token_revoke,
)
from community.services.invitations import invitation_create, invitation_revoke

GOOD_PASSWORD = "purple-otter-sings-loudly"


@pytest.fixture
def invitation(staff, group):
    return invitation_create(actor=staff, group=group)


def sign_up(code: str, **overrides) -> User:
    details = {
        "code": code,
        "display_name": "Sky",
        "email": "sky@example.org",
        "password": GOOD_PASSWORD,
        "age_band": "18_25",
        "is_care_experienced": True,
        "accepts_agreement": True,
    }
    details.update(overrides)
    return account_sign_up(**details)


def assert_nothing_written(invitation: Invitation, users_before: int) -> None:
    invitation.refresh_from_db()
    assert invitation.use_count == 0
    assert User.objects.count() == users_before
    assert not InvitationRedemption.objects.exists()
    assert not AuditEntry.objects.filter(action="account.signed_up").exists()


def test_sign_up_makes_the_account_and_joins_the_group(invitation, group):
    user = sign_up(invitation.code.lower(), email="Sky@Example.ORG")
    assert user.email == "sky@example.org"
    assert user.display_name == "Sky"
    assert user.age_band == "18_25"
    assert user.check_password(GOOD_PASSWORD)
    assert user.eligibility_confirmed_at is not None
    assert user.agreement_accepted_at is not None
    assert Profile.objects.filter(user=user).exists()

    invitation.refresh_from_db()
    assert invitation.use_count == 1
    assert InvitationRedemption.objects.get(user=user).invitation == invitation

    membership = Membership.objects.get(user=user, group=group)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.role == MembershipRole.MEMBER
    assert membership.joined_at is not None

    assert AuditEntry.objects.filter(action="account.signed_up", target_id=str(user.pk), group=group).exists()
    welcome = Notification.objects.get(user=user, kind="welcome")
    assert "Sky" in welcome.title
    assert "Art Club" in welcome.body
    assert welcome.url == "/groups/art-club/"


def test_sign_up_without_a_group(staff):
    invitation = invitation_create(actor=staff)
    user = sign_up(invitation.code, age_band="16_17")
    assert user.is_under_18
    assert not Membership.objects.filter(user=user).exists()


def test_single_use_code_cannot_be_redeemed_twice(invitation):
    sign_up(invitation.code)
    with pytest.raises(Conflict) as caught:
        sign_up(invitation.code, display_name="Another", email="another@example.org")
    assert caught.value.code == "invitation_used_up"
    invitation.refresh_from_db()
    assert invitation.use_count == 1
    assert User.objects.filter(email="another@example.org").count() == 0


def test_multi_use_code_counts_each_use(staff):
    invitation = invitation_create(actor=staff, max_uses=2)
    sign_up(invitation.code, display_name="First", email="first@example.org")
    sign_up(invitation.code, display_name="Second", email="second@example.org")
    invitation.refresh_from_db()
    assert invitation.use_count == 2
    with pytest.raises(Conflict) as caught:
        sign_up(invitation.code, display_name="Third", email="third@example.org")
    assert caught.value.code == "invitation_used_up"


def test_unknown_code(db):
    with pytest.raises(NotFound) as caught:
        sign_up("HN-NOPENOPE")
    assert caught.value.code == "invitation_not_found"


def test_expired_code(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError) as caught:
        sign_up(invitation.code)
    assert caught.value.code == "invitation_expired"


def test_revoked_code(invitation, staff):
    invitation_revoke(actor=staff, invitation=invitation)
    with pytest.raises(DomainError) as caught:
        sign_up(invitation.code)
    assert caught.value.code == "invitation_revoked"


@pytest.mark.parametrize("name", ["S", "x" * 41, "   ", " a "])
def test_display_name_length(invitation, name):
    before = User.objects.count()
    with pytest.raises(InvalidInput) as caught:
        sign_up(invitation.code, display_name=name)
    assert caught.value.code == "invalid_display_name"
    assert caught.value.fields == {"display_name": [caught.value.detail]}
    assert_nothing_written(invitation, before)


def test_display_name_cannot_be_an_email_address(invitation):
    with pytest.raises(InvalidInput) as caught:
        sign_up(invitation.code, display_name="sky@example.org")
    assert caught.value.code == "display_name_is_email"


def test_display_name_taken_ignores_case(invitation, member):
    before = User.objects.count()
    with pytest.raises(Conflict) as caught:
        sign_up(invitation.code, display_name="ROBIN")
    assert caught.value.code == "display_name_taken"
    assert_nothing_written(invitation, before)


def test_email_taken_ignores_case_and_is_kind(invitation, make_user):
    make_user(email="sky@example.org")
    before = User.objects.count()
    with pytest.raises(Conflict) as caught:
        sign_up(invitation.code, email="SKY@example.org")
    assert caught.value.code == "email_taken"
    assert "log in" in caught.value.detail
    assert "reset your password" in caught.value.detail
    assert_nothing_written(invitation, before)


def test_email_must_look_like_an_email(invitation):
    with pytest.raises(InvalidInput) as caught:
        sign_up(invitation.code, email="not-an-email")
    assert caught.value.code == "invalid_email"


@pytest.mark.parametrize("password", ["short", "1234567890123", "password123", "Sky@example.org"])
def test_weak_passwords_are_refused_with_the_validator_messages(invitation, password):
    before = User.objects.count()
    with pytest.raises(InvalidInput) as caught:
        sign_up(invitation.code, password=password)
    assert caught.value.code == "weak_password"
    assert caught.value.fields["password"]
    assert caught.value.detail == " ".join(caught.value.fields["password"])
    assert_nothing_written(invitation, before)


def test_must_be_care_experienced(invitation):
    before = User.objects.count()
    with pytest.raises(InvalidInput) as caught:
        sign_up(invitation.code, is_care_experienced=False)
    assert caught.value.code == "not_eligible"
    assert "the person who invited you" in caught.value.detail
    assert_nothing_written(invitation, before)


@pytest.mark.parametrize("age_band", ["under_16", "over_25", ""])
def test_must_be_16_to_25(invitation, age_band):
    before = User.objects.count()
    with pytest.raises(InvalidInput) as caught:
        sign_up(invitation.code, age_band=age_band)
    assert caught.value.code == "not_eligible"
    assert "16 to 25" in caught.value.detail
    assert "other support" in caught.value.detail
    assert_nothing_written(invitation, before)


def test_must_accept_the_agreement(invitation):
    before = User.objects.count()
    with pytest.raises(InvalidInput) as caught:
        sign_up(invitation.code, accepts_agreement=False)
    assert caught.value.code == "agreement_required"
    assert_nothing_written(invitation, before)


def test_a_clash_at_the_database_becomes_the_right_conflict(invitation, make_user, monkeypatch):
    """If another sign-up takes the email between the check and the insert, the unique index answers."""
    from community.services import accounts

    make_user(email="sky@example.org")
    monkeypatch.setattr(accounts, "_email_validate", lambda email: email.strip().lower())
    before = User.objects.count()
    with pytest.raises(Conflict) as caught:
        sign_up(invitation.code)
    assert caught.value.code == "email_taken"
    assert_nothing_written(invitation, before)


def test_a_name_clash_at_the_database_becomes_display_name_taken(invitation, member, monkeypatch):
    from community.services import accounts

    monkeypatch.setattr(accounts, "display_name_validate", lambda name: name)
    with pytest.raises(Conflict) as caught:
        sign_up(invitation.code, display_name="robin")
    assert caught.value.code == "display_name_taken"


@override_settings(HN_CODE_ATTEMPTS_PER_15_MIN=2)
def test_sign_up_with_an_address_counts_code_tries(invitation):
    for _ in range(2):
        with pytest.raises(NotFound):
            account_sign_up(
                code="HN-WRONGWRG",
                display_name="Sky",
                email="sky@example.org",
                password=GOOD_PASSWORD,
                age_band="18_25",
                is_care_experienced=True,
                accepts_agreement=True,
                client_ip="10.1.1.1",
            )
    with pytest.raises(RateLimited):
        account_sign_up(
            code=invitation.code,
            display_name="Sky",
            email="sky@example.org",
            password=GOOD_PASSWORD,
            age_band="18_25",
            is_care_experienced=True,
            accepts_agreement=True,
            client_ip="10.1.1.1",
        )


def test_authenticate_with_any_case_email(make_user):
    user = make_user(email="kit@example.org", password=GOOD_PASSWORD)
    assert account_authenticate(email=" KIT@example.org ", password=GOOD_PASSWORD, client_ip="1.1.1.1") == user


def test_authenticate_wrong_password(make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD)
    with pytest.raises(InvalidInput) as caught:
        account_authenticate(email="kit@example.org", password="wrong", client_ip="1.1.1.1")
    assert caught.value.code == "invalid_credentials"


def test_paused_account_cannot_log_in(make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD, is_active=False)
    with pytest.raises(InvalidInput) as caught:
        account_authenticate(email="kit@example.org", password=GOOD_PASSWORD, client_ip="1.1.1.1")
    assert caught.value.code == "invalid_credentials"


@override_settings(HN_LOGIN_ATTEMPTS_PER_15_MIN=3)
def test_too_many_tries_by_email_refuse_even_the_right_password(make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD)
    for n in range(3):
        with pytest.raises(InvalidInput):
            account_authenticate(email="kit@example.org", password="wrong", client_ip=f"2.2.2.{n}")
    with pytest.raises(RateLimited) as caught:
        account_authenticate(email="kit@example.org", password=GOOD_PASSWORD, client_ip="2.2.2.9")
    assert caught.value.code == "rate_limited"
    assert "Too many tries" in caught.value.detail


@override_settings(HN_LOGIN_ATTEMPTS_PER_15_MIN=3)
def test_too_many_tries_by_address(make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD)
    for n in range(3):
        with pytest.raises(InvalidInput):
            account_authenticate(email=f"guess{n}@example.org", password="wrong", client_ip="3.3.3.3")
    with pytest.raises(RateLimited):
        account_authenticate(email="kit@example.org", password=GOOD_PASSWORD, client_ip="3.3.3.3")


def test_token_obtain_reuses_one_token_and_audits_once(make_user):
    user = make_user(email="kit@example.org", password=GOOD_PASSWORD)
    first = account_token_obtain(email="kit@example.org", password=GOOD_PASSWORD, client_ip="1.1.1.1")
    second = account_token_obtain(email="kit@example.org", password=GOOD_PASSWORD, client_ip="1.1.1.1")
    assert first.key == second.key
    assert first.user == user
    assert AuditEntry.objects.filter(action="account.token_created", target_id=str(user.pk)).count() == 1


def test_token_revoke_is_idempotent(member):
    account_token_issue(actor=member)
    account_token_revoke(actor=member)
    account_token_revoke(actor=member)
    assert not Token.objects.filter(user=member).exists()
    assert AuditEntry.objects.filter(action="account.token_revoked").count() == 1


def test_password_set_changes_it_signs_out_apps_and_tells_the_person(member):
    account_token_issue(actor=member)
    account_password_set(actor=member, user=member, new_password="a-brand-new-long-phrase")
    member.refresh_from_db()
    assert member.check_password("a-brand-new-long-phrase")
    assert not Token.objects.filter(user=member).exists()
    assert AuditEntry.objects.filter(action="account.password_changed", target_id=str(member.pk)).exists()
    assert Notification.objects.filter(user=member, kind="account_security").exists()
    assert authenticate(email=member.email, password="a-brand-new-long-phrase") == member


def test_password_set_refuses_a_weak_password(member):
    with pytest.raises(InvalidInput) as caught:
        account_password_set(actor=member, user=member, new_password="123")
    assert caught.value.code == "weak_password"
    member.refresh_from_db()
    assert member.check_password("a-long-pass-phrase")
