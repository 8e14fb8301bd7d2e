"""Accounts: signing up with an invitation, logging in for apps (tokens) and changing a password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from community.errors import Conflict, Forbidden, InvalidInput
from community.models import (
    AgeBand,
    Membership,
    MembershipRole,
    MembershipStatus,
    NotificationPreference,
    PolicyDocument,
    User,
)
from community.notification_kinds import all_kinds
from community.ratelimit import rate_limit_hit, rate_limit_reset
from community.services.audit import audit_record
from community.services.invitations import invitation_find_usable
from community.services.notifications import notify
from community.services.policies import OUT_OF_DATE as POLICIES_OUT_OF_DATE
from community.services.policies import policies_accept, policies_current
from community.services.suspension import suspended_account, suspension_detail

DISPLAY_NAME_MIN = 2
DISPLAY_NAME_MAX = 40
LOGIN_WINDOW_SECONDS = 15 * 60

TOO_MANY_LOGIN_TRIES = (
    "Too many tries to log in. For your safety, please wait 15 minutes and try again. "
    "If you've forgotten your password, you can reset it."
)
EMAIL_TAKEN = (
    "There's already an account with this email address. If it's yours, you can log in, "
    "or reset your password if you've forgotten it."
)
NOT_CARE_EXPERIENCED = (
    "Here and Now is for young people who have been in care. If that isn't you, the person who invited you "
    "can tell you about other support near you."
)
NOT_IN_AGE_RANGE = (
    "Here and Now is for people aged 16 to 25. The person who invited you can tell you about other support "
    "that's right for you."
)


def _field_error(error_class, detail: str, *, code: str, field: str, messages: list[str] | None = None):
    return error_class(detail, code=code, fields={field: messages or [detail]})


def display_name_validate(display_name: str, *, exclude_user_id: int | None = None) -> str:
    """A display name is 2 to 40 characters, not an email address, and not already someone else's."""
    name = " ".join((display_name or "").split())
    if not DISPLAY_NAME_MIN <= len(name) <= DISPLAY_NAME_MAX:
        raise _field_error(
            InvalidInput,
            f"Your name here needs to be between {DISPLAY_NAME_MIN} and {DISPLAY_NAME_MAX} characters.",
            code="invalid_display_name",
            field="display_name",
        )
    if "@" in name:
        raise _field_error(
            InvalidInput,
            "Please choose a name that isn't an email address. It keeps your email private.",
            code="display_name_is_email",
            field="display_name",
        )
    taken = User.objects.filter(display_name__iexact=name)
    if exclude_user_id is not None:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        raise _field_error(
            Conflict,
            "Someone is already using that name. Try adding a letter or a number, or pick another name.",
            code="display_name_taken",
            field="display_name",
        )
    return name


def _email_validate(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise _field_error(
            InvalidInput,
            "That doesn't look like an email address. Check it and try again.",
            code="invalid_email",
            field="email",
        ) from None
    if User.objects.filter(email__iexact=email).exists():
        raise _field_error(Conflict, EMAIL_TAKEN, code="email_taken", field="email")
    return email


def _password_validate(password: str, *, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        messages = list(error.messages)
        raise _field_error(
            InvalidInput, " ".join(messages), code="weak_password", field="password", messages=messages
        ) from None


def _eligibility_validate(*, age_band: str, is_care_experienced: bool, accepts_agreement: bool) -> None:
    if not is_care_experienced:
        raise _field_error(InvalidInput, NOT_CARE_EXPERIENCED, code="not_eligible", field="is_care_experienced")
    if age_band not in AgeBand.values:
        raise _field_error(InvalidInput, NOT_IN_AGE_RANGE, code="not_eligible", field="age_band")
    if not accepts_agreement:
        raise _field_error(
            InvalidInput,
            "Please read the community agreement and the privacy notice, and tick the box to say you agree.",
            code="agreement_required",
            field="accepts_agreement",
        )


def _emails_start_off(user: User) -> None:
    """A new account starts with email off for every kind of notification except the safety-critical ones (which
    always email). Kinds that email by default keep doing so for people who joined before this rule."""
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=user, kind=kind.key, email=False)
        for kind in all_kinds()
        if kind.email_by_default and not kind.safety_critical
    )


def _policies_shown_are_current(policy_versions: dict[str, int] | None) -> list[PolicyDocument]:
    current = policies_current()
    if policy_versions is not None:
        versions = {document.kind: document.version for document in current}
        if any(versions.get(kind) != version for kind, version in policy_versions.items()):
            raise Conflict(POLICIES_OUT_OF_DATE, code="policy_out_of_date")
    return current


def account_sign_up(
    *,
    code: str,
    display_name: str,
    email: str,
    password: str,
    age_band: str,
    is_care_experienced: bool,
    accepts_agreement: bool,
    policy_versions: dict[str, int] | None = None,
    client_ip: str | None = None,
) -> User:
    """Create an account with an invitation code, join the code's group, and say welcome. The person accepts the
    current community agreement and privacy notice; with `policy_versions` ({kind: version} of what they were shown),
    a version that is no longer current is refused with `policy_out_of_date`.

    All or nothing: the invitation row is locked while it is re-checked and used, so a single-use code cannot be
    redeemed twice. With `client_ip` the code counts as a try against that address's limit.
    """
    with transaction.atomic():
        invitation = invitation_find_usable(code=code, client_ip=client_ip, lock=True)
        _eligibility_validate(
            age_band=age_band, is_care_experienced=is_care_experienced, accepts_agreement=accepts_agreement
        )
        documents = _policies_shown_are_current(policy_versions)
        name = display_name_validate(display_name)
        email = _email_validate(email)
        _password_validate(password, user=User(email=email, display_name=name))

        now = timezone.now()
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    display_name=name,
                    age_band=age_band,
                    date_joined=now,
                    eligibility_confirmed_at=now,
                    agreement_accepted_at=now,
                )
        except IntegrityError:  # someone signed up with the same email or name a moment ago
            if User.objects.filter(email__iexact=email).exists():
                raise _field_error(Conflict, EMAIL_TAKEN, code="email_taken", field="email") from None
            raise _field_error(
                Conflict,
                "Someone is already using that name. Try adding a letter or a number, or pick another name.",
                code="display_name_taken",
                field="display_name",
            ) from None

        if documents:  # none only before any version is published (an empty test database)
            policies_accept(actor=user, document_ids=[document.pk for document in documents], now=now)
        _emails_start_off(user)
        invitation.redemptions.create(user=user, redeemed_at=now)
        invitation.use_count += 1
        invitation.save(update_fields=["use_count"])

        group = invitation.group
        if group is not None and not group.is_archived:
            Membership.objects.create(
                group=group, user=user, role=MembershipRole.MEMBER, status=MembershipStatus.ACTIVE, joined_at=now
            )
        else:
            group = None

        audit_record(
            actor=user,
            action="account.signed_up",
            target=user,
            group=group,
            data={"invitation_id": invitation.pk, "group_id": group.pk if group else None},
        )
        body = "We're glad you're here. Have a look around, and say hi when you feel ready."
        url = reverse("community:group-list")
        if group is not None:
            body = f"You're now a member of {group.name}. " + body
            url = reverse("community:group-detail", kwargs={"slug": group.slug})
        notify(user=user, kind="welcome", title=f"Welcome to Here and Now, {name}", body=body, url=url)
    return user


def login_attempt(*, email: str, client_ip: str) -> None:
    """Count one try to log in, by address and by email, so passwords cannot be guessed."""
    limit = settings.HN_LOGIN_ATTEMPTS_PER_15_MIN
    rate_limit_hit(
        key=f"login:ip:{client_ip}", limit=limit, window_seconds=LOGIN_WINDOW_SECONDS, detail=TOO_MANY_LOGIN_TRIES
    )
    rate_limit_hit(
        key=f"login:email:{(email or '').strip().lower()}",
        limit=limit,
        window_seconds=LOGIN_WINDOW_SECONDS,
        detail=TOO_MANY_LOGIN_TRIES,
    )


def login_succeeded(*, email: str) -> None:
    """A right password clears the count for that email (the count per address stays)."""
    rate_limit_reset(key=f"login:email:{(email or '').strip().lower()}", window_seconds=LOGIN_WINDOW_SECONDS)


def account_authenticate(*, email: str, password: str, client_ip: str, request: HttpRequest | None = None) -> User:
    login_attempt(email=email, client_ip=client_ip)
    user = authenticate(request, email=(email or "").strip().lower(), password=password)
    if user is None and (suspended := suspended_account(email=email, password=password)) is not None:
        raise Forbidden(suspension_detail(suspended), code="account_suspended")
    if user is None:
        raise InvalidInput(
            "That email and password don't match. Check them and try again, or reset your password.",
            code="invalid_credentials",
        )
    login_succeeded(email=email)
    return user


def account_token_issue(*, actor: User) -> Token:
    """The API token for `actor`, made if they don't have one yet."""
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=actor)
        if created:
            audit_record(actor=actor, action="account.token_created", target=actor)
    return token


def account_token_obtain(*, email: str, password: str, client_ip: str) -> Token:
    user = account_authenticate(email=email, password=password, client_ip=client_ip)
    return account_token_issue(actor=user)


def account_token_revoke(*, actor: User) -> None:
    """Sign an app out: delete the caller's token. Nothing to do if there is none."""
    with transaction.atomic():
        deleted, _ = Token.objects.filter(user=actor).delete()
        if deleted:
            audit_record(actor=actor, action="account.token_revoked", target=actor)


def account_password_set(*, actor: User, user: User, new_password: str, reason: str = "changed") -> User:
    """Set a new password (after a change or a reset), sign out the old API token, and tell the person."""
    _password_validate(new_password, user=user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(new_password)
        locked.save(update_fields=["password"])
        Token.objects.filter(user=locked).delete()
        audit_record(actor=actor, action=f"account.password_{reason}", target=locked)
        notify(
            user=locked,
            kind="account_security",
            title="Your password was changed",
            body=(
                "Your Here and Now password was just changed. If this was you, there's nothing else to do. "
                "If it wasn't you, reset your password now and tell a member of staff."
            ),
            url=reverse("community:password-reset"),
        )
    user.password = locked.password
    return user
