"""Request middleware: friendly error pages for DomainErrors, a clear refusal of null characters in web addresses and
forms, and the gate that asks people to accept a new version of the community agreement or the privacy notice before
they carry on."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from community.errors import DomainError, InvalidInput, RateLimited
from community.services.policies import policies_all_accepted

NULL_CHARACTER = InvalidInput(
    "Something you sent has a character in it we can't read (a null character). Please check it and try again.",
    code="invalid_characters",
)


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_null_character(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class NullCharacterMiddleware:
    """Refuses a query string or a page's form holding a null character (`%00`) with 400 `invalid_characters` before
    any view reads it: PostgreSQL can't hold one in text, so a search, filter or note carrying one would otherwise fail
    as a server error. Pages' forms are read here as CSRF's check reads them anyway; the API's bodies are checked by
    DRF's serializers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith("/api/")
        posted_form = not is_api and request.method == "POST" and request.content_type in FORM_CONTENT_TYPES
        if _holds_null_character(request.GET) or (posted_form and _holds_null_character(request.POST)):
            if is_api:
                return JsonResponse(NULL_CHARACTER.as_dict(), status=NULL_CHARACTER.status)
            return render(request, "community/error.html", {"error": NULL_CHARACTER}, status=NULL_CHARACTER.status)
        return self.get_response(request)


class DomainErrorPageMiddleware:
    """Turns a DomainError raised while rendering a page into a friendly error page with the right status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        response = render(request, "community/error.html", {"error": exception}, status=exception.status)
        if isinstance(exception, RateLimited):
            response["Retry-After"] = str(exception.retry_after)
        return response


POLICIES_NOT_ACCEPTED = (
    "We've updated the community agreement or the privacy notice. Please read what's changed and agree to it "
    "(GET /api/v1/me/policies/, then POST /api/v1/me/policies/accept/) before carrying on."
)


def _url_prefix(url: str) -> str:
    return "/" + url.lstrip("/")


def _gate_exempt_prefixes() -> tuple[str, ...]:
    return (
        # accepting, and reading what is being accepted
        "/me/agreements/",
        "/agreement/",
        "/privacy/",
        "/api/v1/me/policies/",
        "/api/v1/policies/",
        # someone who doesn't agree can still leave with their data, or delete their account
        "/logout/",
        "/me/data/",
        "/api/v1/me/exports",
        "/api/v1/me/delete-account/",
        "/api/v1/auth/",
        # help when things are hard is never held back (the support page is open to everyone)
        "/support/",
        "/api/v1/safeguarding/support-contacts/",
        _url_prefix(settings.STATIC_URL),
        _url_prefix(settings.MEDIA_URL),
        "/admin/",
        "/api/schema/",
        "/api/docs/",
        # health and readiness checks (config/health.py): no sign-in, no session
        "/healthz",
        "/readyz",
    )


def policy_gate_applies(path: str) -> bool:
    """Is this path one that waits until the person has accepted the current agreement and privacy notice?

    Checked as if it ended in a slash, so "/support" typed without one reaches CommonMiddleware's redirect to
    "/support/" instead of the gate."""
    return not (path if path.endswith("/") else path + "/").startswith(_gate_exempt_prefixes())


def policies_gate_blocks(request, user) -> bool:
    """Only for a signed-in person on a gated path: one tiny query once their yes is remembered (see
    community.services.policies.policies_all_accepted)."""
    # The path first: an exempt path (the health checks among them) never loads the session or the user.
    return bool(
        policy_gate_applies(request.path)
        and user is not None
        and user.is_authenticated
        and not policies_all_accepted(user=user)
    )


class PolicyGateMiddleware:
    """A signed-in person who hasn't accepted the current versions is sent to /me/agreements/ (pages) or answered
    403 `policies_not_accepted` (API). Token-authenticated API calls are checked by
    community.auth_backends.AccountTokenAuthentication, since DRF signs them in after the middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if policies_gate_blocks(request, request.user):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "policies_not_accepted", "detail": POLICIES_NOT_ACCEPTED}, status=403)
            target = reverse("community:policies-accept")
            if request.method in ("GET", "HEAD"):
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)
