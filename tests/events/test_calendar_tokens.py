"""Calendar link services, the calendar links page and the calendar links API."""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from community.errors import DomainError
from community.models import AuditEntry, MembershipStatus
from events.api_calendar import api_urlpatterns
from events.models import CalendarToken, CalendarTokenKind
from events.services.calendar_tokens import calendar_token_issue, calendar_token_reset, calendar_token_revoke
from tests.events.test_ideas_urls import URLCONF

pytestmark = pytest.mark.urls(URLCONF)

API = "/api/v1/"


@pytest.fixture
def robin(member, group, add_member):
    add_member(group, member)
    return member


def refused(code, call, **kwargs):
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert caught.value.code == code
    return caught.value


# --- services ------------------------------------------------------------------------------------


def test_issue_makes_one_personal_link_and_returns_it_again(robin):
    first = calendar_token_issue(actor=robin)
    again = calendar_token_issue(actor=robin)
    assert first.pk == again.pk and first.token == again.token
    assert first.kind == CalendarTokenKind.PERSONAL and first.group is None
    assert len(first.token) >= 32
    assert CalendarToken.objects.count() == 1


def test_tokens_are_different_for_everyone(robin, group, make_user):
    other = make_user()
    tokens = {calendar_token_issue(actor=robin).token, calendar_token_issue(actor=other).token}
    tokens.add(calendar_token_issue(actor=robin, group=group).token)
    assert len(tokens) == 3


def test_group_link_needs_active_membership(robin, group, make_user, add_member, staff):
    assert calendar_token_issue(actor=robin, group=group).kind == CalendarTokenKind.GROUP
    pending = make_user()
    add_member(group, pending, status=MembershipStatus.PENDING)
    refused("not_a_member", calendar_token_issue, actor=pending, group=group)
    refused("not_a_member", calendar_token_issue, actor=staff, group=group)
    refused("not_a_member", calendar_token_reset, actor=pending, group=group)
    assert CalendarToken.objects.count() == 1


def test_reset_replaces_the_token_and_is_audited(robin, group):
    old = calendar_token_issue(actor=robin, group=group).token
    new = calendar_token_reset(actor=robin, group=group)
    assert new.token != old
    assert CalendarToken.objects.filter(token=old).count() == 0
    entry = AuditEntry.objects.get(action="calendar_link.reset")
    assert entry.actor == robin and entry.group == group


def test_reset_without_a_link_makes_one(robin):
    token = calendar_token_reset(actor=robin)
    assert CalendarToken.objects.get().token == token.token


def test_revoke_switches_the_link_off(robin):
    calendar_token_issue(actor=robin)
    assert calendar_token_revoke(actor=robin) is True
    assert calendar_token_revoke(actor=robin) is False
    assert not CalendarToken.objects.exists()
    assert AuditEntry.objects.filter(action="calendar_link.revoked").count() == 1


# --- page ----------------------------------------------------------------------------------------


def test_page_needs_login(client):
    response = client.get("/calendar/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_page_offers_links_for_me_and_my_groups(client, robin):
    client.force_login(robin)
    page = client.get("/calendar/").content.decode()
    assert page.count("<h1>") == 1
    assert "My events" in page and "Everything in Art Club" in page
    assert page.count("Make a link<span") == 2


def test_make_reset_and_switch_off_from_the_page(client, robin, settings):
    settings.HN_SITE_URL = "https://hereandnow.example"
    client.force_login(robin)
    assert client.get("/calendar/mine/make/").status_code == 405
    response = client.post("/calendar/mine/make/", follow=True)
    token = CalendarToken.objects.get(kind=CalendarTokenKind.PERSONAL)
    page = response.content.decode()
    assert f"https://hereandnow.example/calendar/{token.token}.ics" in page
    assert f"webcal://hereandnow.example/calendar/{token.token}.ics" in page
    assert "Your calendar link is ready" in page

    response = client.post("/calendar/mine/reset/", follow=True)
    assert "The old one has stopped working" in response.content.decode()
    assert CalendarToken.objects.get().token != token.token

    client.post("/calendar/mine/stop/")
    assert not CalendarToken.objects.exists()


def test_group_link_from_the_page(client, robin, group):
    client.force_login(robin)
    client.post("/calendar/groups/art-club/make/")
    assert CalendarToken.objects.get().group == group
    assert client.post("/calendar/groups/art-club/fly/").status_code == 404


def test_group_link_refused_for_non_members(client, make_user, group):
    client.force_login(make_user())
    response = client.post("/calendar/groups/art-club/make/", follow=True)
    assert "Join the group first" in response.content.decode()
    assert not CalendarToken.objects.exists()


# --- API -----------------------------------------------------------------------------------------


def test_api_needs_login(api_as):
    response = api_as(None).get(f"{API}calendar/links/")
    assert response.status_code in (401, 403) and response.json()["code"] == "not_authenticated"


def test_api_lists_issues_resets_and_revokes(api_as, robin, settings):
    settings.HN_SITE_URL = "https://hereandnow.example"
    client = api_as(robin)
    links = client.get(f"{API}calendar/links/").json()
    assert [(link["kind"], link["group"], link["url"]) for link in links] == [
        ("personal", None, None),
        ("group", {"slug": "art-club", "name": "Art Club"}, None),
    ]

    made = client.post(f"{API}calendar/links/mine/").json()
    token = CalendarToken.objects.get()
    assert made["url"] == f"https://hereandnow.example/calendar/{token.token}.ics"
    assert made["webcal_url"] == f"webcal://hereandnow.example/calendar/{token.token}.ics"
    assert client.post(f"{API}calendar/links/mine/").json()["url"] == made["url"]

    reset = client.post(f"{API}calendar/links/mine/reset/").json()
    assert reset["url"] != made["url"]
    assert client.get(f"{API}calendar/links/").json()[0]["url"] == reset["url"]

    assert client.delete(f"{API}calendar/links/mine/").status_code == 204
    assert not CalendarToken.objects.exists()


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("robin", 200, None),
        ("leader", 200, None),
        ("staff", 403, "not_a_member"),
        ("moderator", 403, "not_a_member"),
        ("evaluator", 403, "not_a_member"),
        ("outsider", 403, "not_a_member"),
    ],
)
def test_api_group_link_is_for_active_members(request, api_as, group, make_user, who, status, code):
    user = make_user() if who == "outsider" else request.getfixturevalue(who)
    response = api_as(user).post(f"{API}groups/art-club/calendar-link/")
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
    else:
        assert response.json()["group"]["slug"] == "art-club"
        reset = api_as(user).post(f"{API}groups/art-club/calendar-link/reset/")
        assert reset.json()["url"] != response.json()["url"]
        assert api_as(user).delete(f"{API}groups/art-club/calendar-link/").status_code == 204


def test_api_hidden_group_is_not_found(api_as, robin, make_group):
    make_group(slug="secret", is_listed=False)
    response = api_as(robin).post(f"{API}groups/secret/calendar-link/")
    assert response.status_code == 404 and response.json()["code"] == "group_not_found"


def test_schema_has_the_calendar_endpoints_without_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/v1/", include(api_urlpatterns))]).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned about the calendar API"
    paths = schema["paths"]
    assert "get" in paths["/api/v1/calendar/links/"]
    assert set(paths["/api/v1/calendar/links/mine/"]) >= {"post", "delete"}
    assert "post" in paths["/api/v1/calendar/links/mine/reset/"]
    assert set(paths["/api/v1/groups/{slug}/calendar-link/"]) >= {"post", "delete"}
    assert "post" in paths["/api/v1/groups/{slug}/calendar-link/reset/"]
