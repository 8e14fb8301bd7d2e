"""Account pages: join with a code, log in and out, and passwords (the agreement is in community/views/policies.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.views.decorators.debug import sensitive_post_parameters

from community.errors import DomainError, RateLimited
from community.forms_accounts import (
    InvitationCodeForm,
    LoginForm,
    PasswordResetRequestForm,
    SignUpForm,
    add_domain_error,
)
from community.ratelimit import client_ip, rate_limit_hit
from community.services.accounts import account_password_set, account_sign_up
from community.services.invitations import invitation_find_usable

SIGNUP_CODE_SESSION_KEY = "signup_code"
PASSWORD_RESET_WINDOW_SECONDS = 15 * 60
PASSWORD_RESET_EMAILS_PER_ADDRESS = 3


def signup_code_step(request):
    """Step 1: check the invitation code."""
    if request.user.is_authenticated:
        messages.info(request, "You already have an account, so you're all set.")
        return redirect("community:home")
    if request.method == "POST":
        form = InvitationCodeForm(request.POST)
        if form.is_valid():
            try:
                invitation = invitation_find_usable(code=form.cleaned_data["code"], client_ip=client_ip(request))
            except DomainError as error:
                form.add_error("code", error.detail)
            else:
                request.session[SIGNUP_CODE_SESSION_KEY] = invitation.code
                return redirect("community:signup-details")
    else:
        form = InvitationCodeForm(initial={"code": request.GET.get("code", "")[:40]})
    return render(request, "community/accounts/signup_code.html", {"form": form})


@sensitive_post_parameters("password")
def signup_details_step(request):
    """Step 2: the person's details. Only reachable with a code checked in step 1."""
    if request.user.is_authenticated:
        return redirect("community:home")
    code = request.session.get(SIGNUP_CODE_SESSION_KEY)
    if not code:
        messages.info(request, "First, type in your invitation code.")
        return redirect("community:signup")
    try:
        invitation = invitation_find_usable(code=code)
    except DomainError as error:
        request.session.pop(SIGNUP_CODE_SESSION_KEY, None)
        messages.error(request, error.detail)
        return redirect("community:signup")

    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            try:
                user = account_sign_up(code=code, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                login(request, user, backend="community.auth_backends.AccountBackend")
                request.session.pop(SIGNUP_CODE_SESSION_KEY, None)
                messages.success(request, f"Welcome to Here and Now, {user.display_name}! We're glad you're here.")
                return redirect("community:home")
    else:
        form = SignUpForm()
    return render(request, "community/accounts/signup_details.html", {"form": form, "invitation": invitation})


class LoginView(auth_views.LoginView):
    template_name = "community/accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"Welcome back, {form.get_user().display_name}.")
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET). Shows a short goodbye on the home page."""

    next_page = "community:home"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You're logged out. Take care, and see you soon.")
        return response


class NoLabelColonMixin:
    """Django's own password forms, with labels that match the rest of the site."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label_suffix": ""}


class PasswordResetView(NoLabelColonMixin, auth_views.PasswordResetView):
    template_name = "community/accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    email_template_name = "community/accounts/password_reset_email.txt"
    subject_template_name = "community/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("community:password-reset-done")

    def form_valid(self, form):
        detail = "That's a lot of reset emails in a short time. Please wait 15 minutes and try again."
        try:
            rate_limit_hit(
                key=f"password-reset:ip:{client_ip(self.request)}",
                limit=settings.HN_LOGIN_ATTEMPTS_PER_15_MIN,
                window_seconds=PASSWORD_RESET_WINDOW_SECONDS,
                detail=detail,
            )
            # And per address, so nobody can fill one person's inbox from many addresses. Counted whether or not an
            # account has that email, so the limit tells nobody which emails have accounts.
            rate_limit_hit(
                key=f"password-reset:email:{form.cleaned_data['email'].strip().lower()}",
                limit=PASSWORD_RESET_EMAILS_PER_ADDRESS,
                window_seconds=PASSWORD_RESET_WINDOW_SECONDS,
                detail=detail,
            )
        except RateLimited as error:
            form.add_error(None, error.detail)
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "community/accounts/password_reset_done.html"


class PasswordResetConfirmView(NoLabelColonMixin, auth_views.PasswordResetConfirmView):
    template_name = "community/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("community:password-reset-complete")

    def form_valid(self, form):
        try:
            account_password_set(
                actor=self.user, user=self.user, new_password=form.cleaned_data["new_password1"], reason="reset"
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "community/accounts/password_reset_complete.html"


class PasswordChangeView(NoLabelColonMixin, auth_views.PasswordChangeView):
    """For people who are logged in (Django's view asks for a login)."""

    template_name = "community/accounts/password_change.html"
    success_url = reverse_lazy("community:password-change")

    def form_valid(self, form):
        try:
            user = account_password_set(
                actor=self.request.user, user=self.request.user, new_password=form.cleaned_data["new_password1"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "Your password is changed. Use the new one next time you log in.")
        return HttpResponseRedirect(self.get_success_url())


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("join/", signup_code_step, name="signup"),
    path("join/details/", signup_details_step, name="signup-details"),
    path("password-reset/", PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("password-reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("password-reset/done/", PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("me/password/", PasswordChangeView.as_view(), name="password-change"),
]
