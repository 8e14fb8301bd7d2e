"""Every response carries the security headers: the Content-Security-Policy ('self' only), the Permissions-Policy,
frame denial, the referrer policy, the opener policy and nosniff, on every page in the URL configuration, signed in
and not, error pages included. HSTS is the production profile's."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path

from tests.config.test_settings_profiles import GOOD_KEY, run_manage

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
EXPECTED = {
    "Content-Security-Policy": CSP,
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern) == "admin/":
                continue  # Django's own admin: a few of its pages are checked below
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _example_path(route: str) -> str:
    """A real path for a route: parameters get values that match nothing (so those pages answer 404)."""
    path = re.sub(r"<int:[^>]+>", "999999", route)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<(?:\w+:)?[^>]+>", "no-such-thing", path)
    return "/" + path.lstrip("^").rstrip("$")


PAGE_PATHS = sorted({_example_path(route) for route in _walk(get_resolver().url_patterns)})
MORE_PATHS = ["/admin/", "/admin/login/", "/static/community/site.css", "/there-is-no-such-page/"]


def assert_headers(response, path: str) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, f"{path} ({response.status_code}): {name}"


def test_the_walk_finds_every_app_s_pages():
    assert {"/", "/groups/", "/events/", "/chat/", "/me/agreements/", "/privacy/", "/api/v1/groups/"} <= set(PAGE_PATHS)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_every_page_carries_the_security_headers(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    statuses = set()
    for url in [*PAGE_PATHS, *MORE_PATHS]:
        response = client.get(url)
        statuses.add(response.status_code)
        assert_headers(response, url)
    assert {200, 302, 404} <= statuses  # pages, redirects and error pages were all among them


def _broken_page(request):
    raise RuntimeError("Something broke")


urlpatterns = [path("broken/", _broken_page)]  # for the server-error test below


@pytest.mark.urls(__name__)
def test_a_server_error_page_carries_them_too(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert_headers(response, "/broken/")


def test_the_production_profile_adds_hsts():
    code = (
        "from django.test import Client; r = Client().get('/api/schema/', secure=True); "
        "print(r.status_code, r.headers['Strict-Transport-Security'], r.headers['Content-Security-Policy'])"
    )
    result = run_manage("shell", "-c", code, DJANGO_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    assert "200 max-age=31536000; includeSubDomains; preload" in result.stdout
    assert CSP in result.stdout


def test_the_local_profile_sends_no_hsts(client, db):
    assert "Strict-Transport-Security" not in client.get("/agreement/").headers


def test_a_browser_opening_an_api_address_gets_json_not_a_page_the_policy_would_break(client, member):
    # DRF's browsable pages need inline scripts that the policy ('self') refuses; /api/docs/ is the browsable reference.
    client.force_login(member)
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/api/v1/groups/", HTTP_ACCEPT=browser_accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    docs = client.get("/api/docs/")
    scripts = re.findall(r"<script[^>]*>", docs.content.decode())
    assert docs.status_code == 200 and scripts
    assert all(" src=" in tag for tag in scripts), scripts  # no inline code for the policy to refuse
