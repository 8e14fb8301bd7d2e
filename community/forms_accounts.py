"""Forms for joining, logging in, passwords and invitations. Rules live in the services; forms collect input."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import password_validators_help_texts

from community.errors import DomainError, RateLimited
from community.models import AgeBand
from community.ratelimit import client_ip
from community.services import accounts as account_services
from community.services.invitations import MAX_EXPIRY_DAYS, MAX_USES_LIMIT
from community.services.suspension import suspended_account, suspension_detail

AGE_CHOICES = [
    ("under_16", "I'm under 16"),
    (AgeBand.UNDER_18.value, "I'm 16 or 17"),
    (AgeBand.ADULT.value, "I'm 18 to 25"),
    ("over_25", "I'm over 25"),
]


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form: next to the field it is about, or at the top."""
    placed = False
    for field, messages in (error.fields or {}).items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.detail)


class KindForm(forms.Form):
    """Labels without a trailing colon (they are questions or plain statements)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class InvitationCodeForm(KindForm):
    code = forms.CharField(
        error_messages={"required": "Type in your invitation code."},
        label="Your invitation code",
        max_length=40,
        help_text="It looks like HN-ABCD2345. Capital letters and dashes don't matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class SignUpForm(KindForm):
    display_name = forms.CharField(
        error_messages={"required": "Choose a name for people to call you."},
        label="What should people call you?",
        max_length=60,
        help_text="This is the name other people see. It doesn't have to be your real name. 2 to 40 characters.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label="Your email address",
        error_messages={
            "required": "Type in your email address.",
            "invalid": "That doesn't look like an email address. Check it and try again.",
        },
        help_text="We only use it to help you log in and reset your password. Nobody else sees it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        error_messages={"required": "Choose a password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    age_band = forms.ChoiceField(
        label="How old are you?",
        choices=AGE_CHOICES,
        widget=forms.RadioSelect,
        help_text="Here and Now is for people aged 16 to 25.",
        error_messages={"required": "Choose the answer that fits you."},
    )
    is_care_experienced = forms.BooleanField(
        label="Yes, I'm care-experienced",
        required=False,
        help_text=(
            "This means you've spent time in care at any point: for example foster care, a children's home, "
            "kinship care or supported lodgings. Here and Now is a space for people who've been there."
        ),
    )
    accepts_agreement = forms.BooleanField(
        label="I've read the community agreement and the privacy notice",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(password_validators_help_texts())


class LoginForm(AuthenticationForm):
    """Django's login form, with kind words and a limit on tries by address and by email."""

    error_messages = {
        "invalid_login": (
            "That email and password don't match. Check them and try again, or reset your password if you've "
            "forgotten it."
        ),
        "inactive": "This account is paused. Please talk to the person who invited you.",
    }

    def __init__(self, request=None, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
        self.fields["username"] = forms.EmailField(
            label="Email address",
            widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
            error_messages={
                "required": "Type in the email address you joined with.",
                "invalid": "That doesn't look like an email address. Check it and try again.",
            },
        )
        self.fields["password"].label = "Password"
        self.fields["password"].error_messages["required"] = "Type in your password."

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        self.cleaned_data["username"] = email
        if email and self.cleaned_data.get("password"):
            try:
                account_services.login_attempt(email=email, client_ip=client_ip(self.request))
            except RateLimited as error:
                raise forms.ValidationError(error.detail, code="rate_limited") from None
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            suspended = suspended_account(email=email, password=self.cleaned_data.get("password"))
            if suspended is not None:  # the right password for a suspended account: say so plainly
                raise forms.ValidationError(suspension_detail(suspended), code="suspended") from None
            raise
        if self.user_cache is not None:
            account_services.login_succeeded(email=email)
        return cleaned


class AdminLoginForm(LoginForm):
    """The admin's sign-in: the same limit on tries as the site's (the admin's own form has none), and staff only."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class PasswordResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = "The email address you joined with"
        field.error_messages["required"] = "Type in your email address."
        field.error_messages["invalid"] = "That doesn't look like an email address. Check it and try again."


class InvitationCreateForm(KindForm):
    group = forms.ModelChoiceField(
        label="Which group is it for?",
        queryset=None,
        required=False,
        help_text="The person joins this group straight away when they sign up.",
    )
    max_uses = forms.IntegerField(
        label="How many people can use it?",
        initial=1,
        min_value=1,
        max_value=MAX_USES_LIMIT,
        help_text="One person is safest. You can allow up to 100, for example for a group session.",
    )
    expires_in_days = forms.IntegerField(
        label="How many days should it last?",
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        help_text=f"From 1 to {MAX_EXPIRY_DAYS} days.",
    )
    note = forms.CharField(
        label="Note for you (optional)",
        max_length=120,
        required=False,
        help_text="A private reminder of who it's for. Only you, staff and the group's leaders see it.",
    )

    def __init__(self, *args, groups, allow_no_group: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_in_days"].initial = settings.HN_INVITATION_DEFAULT_DAYS
        field = self.fields["group"]
        field.queryset = groups
        if allow_no_group:
            field.empty_label = "No group (they join Here and Now only)"
        else:
            field.required = True
            field.empty_label = None
