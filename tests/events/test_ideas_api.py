"""Ideas API: each endpoint for anonymous, member, outsider, leader, moderator, staff and evaluator."""

from datetime import timedelta

import pytest
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from community.models import Notification
from events.api_ideas import api_urlpatterns
from events.models import Event, IdeaBacking, IdeaComment, IdeaStatus
from events.services.ideas import idea_back, idea_close, idea_comment, idea_propose
from tests.events.test_ideas_urls import URLCONF

pytestmark = pytest.mark.urls(URLCONF)

API = "/api/v1/"
ANONYMOUS = (401, 403)  # 401 when token authentication answers first, 403 when session authentication does


@pytest.fixture
def robin(member, group, add_member):
    add_member(group, member)
    return member


@pytest.fixture
def sky(make_user, group, add_member):
    user = make_user(display_name="Sky")
    add_member(group, user)
    return user


@pytest.fixture
def outsider(make_user):
    return make_user(display_name="Outsider")


@pytest.fixture
def idea(robin, group):
    return idea_propose(actor=robin, group=group, title="Pizza and a film", why="Cosy", rough_when="Friday")


def expect(response, status: int | tuple[int, ...], code: str | None = None):
    assert response.status_code in (status if isinstance(status, tuple) else (status,)), response.content
    if code is not None:
        assert response.json()["code"] == code
    return response.json() if response.content else None


def call(api_as, user, method: str, url: str, data=None):
    return getattr(api_as(user), method)(url, data or {}, format="json")


# --- list and create -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, ANONYMOUS, "not_authenticated"),
        ("robin", 200, None),
        ("leader", 200, None),
        ("moderator", 200, None),
        ("staff", 200, None),
        ("outsider", 403, "not_a_member"),
        ("evaluator", 403, "not_a_member"),
    ],
)
def test_list_ideas_access(request, api_as, idea, who, status, code):
    user = request.getfixturevalue(who) if who else None
    body = expect(call(api_as, user, "get", f"{API}groups/art-club/ideas/"), status, code)
    if status == 200:
        assert [row["id"] for row in body["results"]] == [idea.pk]


def test_list_shows_counts_flags_and_order(api_as, robin, sky, leader, group):
    first = idea_propose(actor=robin, group=group, title="Less popular")
    second = idea_propose(actor=robin, group=group, title="More popular")
    idea_back(actor=sky, idea=second)
    idea_back(actor=leader, idea=second)
    idea_back(actor=sky, idea=first)
    idea_comment(actor=sky, idea=second, body="Yes!")

    body = expect(call(api_as, sky, "get", f"{API}groups/art-club/ideas/"), 200)
    rows = body["results"]
    assert [row["title"] for row in rows] == ["More popular", "Less popular"]
    top = rows[0]
    assert top["backing_count"] == 2 and top["comment_count"] == 1
    assert top["my_backing"] is True and top["is_mine"] is False
    assert top["proposed_by"] == {"id": robin.pk, "display_name": robin.display_name}
    assert top["can_back"] is True and top["can_answer"] is False and top["can_turn_into_event"] is False

    as_leader = expect(call(api_as, leader, "get", f"{API}groups/art-club/ideas/"), 200)["results"][0]
    assert as_leader["can_answer"] is True and as_leader["can_turn_into_event"] is True


def test_list_filters_by_state(api_as, robin, leader, group):
    idea_propose(actor=robin, group=group, title="Open one")
    closed = idea_propose(actor=robin, group=group, title="Closed one")
    idea_close(actor=leader, idea=closed, reason="No")
    past = expect(call(api_as, robin, "get", f"{API}groups/art-club/ideas/?state=past"), 200)["results"]
    assert [row["title"] for row in past] == ["Closed one"]
    assert past[0]["status"] == "closed" and past[0]["closed_reason"] == "No"
    expect(call(api_as, robin, "get", f"{API}groups/art-club/ideas/?state=nope"), 400, "invalid_state")


def test_unknown_group_is_not_found(api_as, robin):
    expect(call(api_as, robin, "get", f"{API}groups/nope/ideas/"), 404, "group_not_found")


def test_list_query_count_is_constant(api_as, robin, sky, group, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            idea = idea_propose(actor=sky, group=group, title=f"Idea {i}")
            idea_back(actor=robin, idea=idea)
            idea_comment(actor=robin, idea=idea, body="Yes")

    make(2)
    client = api_as(robin)
    with django_assert_max_num_queries(6) as small:
        assert len(client.get(f"{API}groups/art-club/ideas/").json()["results"]) == 2
    make(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(f"{API}groups/art-club/ideas/").json()["results"]) == 10


def test_member_creates_an_idea(api_as, robin):
    body = expect(
        call(api_as, robin, "post", f"{API}groups/art-club/ideas/", {"title": "Bowling", "rough_when": "Sunday"}), 201
    )
    assert body["title"] == "Bowling" and body["status"] == "open" and body["is_mine"] is True
    assert body["backing_count"] == 0 and body["can_back"] is False


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, ANONYMOUS, "not_authenticated"),
        ("outsider", 403, "not_a_member"),
        ("moderator", 403, "not_a_member"),
        ("staff", 403, "not_a_member"),
        ("evaluator", 403, "not_a_member"),
    ],
)
def test_only_members_create_ideas(request, api_as, group, who, status, code):
    user = request.getfixturevalue(who) if who else None
    expect(call(api_as, user, "post", f"{API}groups/art-club/ideas/", {"title": "Hi"}), status, code)


def test_leader_member_creates_an_idea(api_as, leader):
    expect(call(api_as, leader, "post", f"{API}groups/art-club/ideas/", {"title": "Leader idea"}), 201)


def test_create_reports_the_service_code(api_as, robin):
    expect(call(api_as, robin, "post", f"{API}groups/art-club/ideas/", {"title": "  "}), 400, "title_required")
    expect(call(api_as, robin, "post", f"{API}groups/art-club/ideas/", {"title": "x" * 121}), 400, "title_too_long")
    expect(call(api_as, robin, "post", f"{API}groups/art-club/ideas/", {}), 400, "invalid")


# --- detail, back, unback ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, ANONYMOUS, "not_authenticated"),
        ("sky", 200, None),
        ("leader", 200, None),
        ("moderator", 200, None),
        ("staff", 200, None),
        ("outsider", 404, "idea_not_found"),
        ("evaluator", 404, "idea_not_found"),
    ],
)
def test_idea_detail_access(request, api_as, idea, who, status, code):
    user = request.getfixturevalue(who) if who else None
    expect(call(api_as, user, "get", f"{API}ideas/{idea.pk}/"), status, code)


def test_back_and_unback(api_as, idea, sky):
    body = expect(call(api_as, sky, "post", f"{API}ideas/{idea.pk}/backing/"), 200)
    assert body["backing_count"] == 1 and body["my_backing"] is True
    expect(call(api_as, sky, "post", f"{API}ideas/{idea.pk}/backing/"), 200)
    assert IdeaBacking.objects.count() == 1
    body = expect(call(api_as, sky, "delete", f"{API}ideas/{idea.pk}/backing/"), 200)
    assert body["backing_count"] == 0 and body["my_backing"] is False
    expect(call(api_as, sky, "delete", f"{API}ideas/{idea.pk}/backing/"), 200)


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, ANONYMOUS, "not_authenticated"),
        ("robin", 400, "own_idea"),
        ("moderator", 403, "not_a_member"),
        ("staff", 403, "not_a_member"),
        ("outsider", 404, "idea_not_found"),
        ("evaluator", 404, "idea_not_found"),
    ],
)
def test_back_refusals(request, api_as, idea, who, status, code):
    user = request.getfixturevalue(who) if who else None
    expect(call(api_as, user, "post", f"{API}ideas/{idea.pk}/backing/"), status, code)
    assert not IdeaBacking.objects.exists()


def test_back_a_closed_idea(api_as, idea, leader, sky):
    idea_close(actor=leader, idea=idea, reason="No")
    expect(call(api_as, sky, "post", f"{API}ideas/{idea.pk}/backing/"), 409, "idea_closed")


# --- comments ------------------------------------------------------------------------------------


def test_comments_list_create_and_delete(api_as, idea, sky, robin, leader):
    created = expect(call(api_as, sky, "post", f"{API}ideas/{idea.pk}/comments/", {"body": "Count me in"}), 201)
    assert created["author"]["display_name"] == "Sky" and created["can_delete"] is True

    listed = expect(call(api_as, robin, "get", f"{API}ideas/{idea.pk}/comments/"), 200)["results"]
    assert [row["body"] for row in listed] == ["Count me in"]
    assert listed[0]["can_delete"] is False

    url = f"{API}ideas/{idea.pk}/comments/{created['id']}/"
    expect(call(api_as, robin, "delete", url), 403, "not_your_comment")
    expect(call(api_as, leader, "delete", url), 204)
    assert not IdeaComment.objects.exists()
    expect(call(api_as, leader, "delete", url), 404, "comment_not_found")


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        (None, "hi", ANONYMOUS, "not_authenticated"),
        ("sky", "  ", 400, "comment_required"),
        ("sky", "x" * 1001, 400, "comment_too_long"),
        ("moderator", "hi", 403, "not_a_member"),
        ("outsider", "hi", 404, "idea_not_found"),
        ("evaluator", "hi", 404, "idea_not_found"),
    ],
)
def test_comment_refusals(request, api_as, idea, who, body, status, code):
    user = request.getfixturevalue(who) if who else None
    expect(call(api_as, user, "post", f"{API}ideas/{idea.pk}/comments/", {"body": body}), status, code)


def test_staff_can_comment(api_as, idea, staff):
    expect(call(api_as, staff, "post", f"{API}ideas/{idea.pk}/comments/", {"body": "Brilliant"}), 201)


def test_comments_query_count_is_constant(api_as, idea, sky, robin, django_assert_max_num_queries):
    idea_comment(actor=sky, idea=idea, body="One")
    client = api_as(robin)
    with django_assert_max_num_queries(8) as small:
        client.get(f"{API}ideas/{idea.pk}/comments/")
    for n in range(6):
        idea_comment(actor=sky if n % 2 else robin, idea=idea, body=f"More {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(f"{API}ideas/{idea.pk}/comments/").json()["results"]) == 7


# --- answer, close, to event ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, ANONYMOUS, "not_authenticated"),
        ("leader", 200, None),
        ("staff", 200, None),
        ("robin", 403, "not_a_leader"),
        ("sky", 403, "not_a_leader"),
        ("moderator", 403, "not_a_leader"),
        ("outsider", 404, "idea_not_found"),
        ("evaluator", 404, "idea_not_found"),
    ],
)
def test_answer_access(request, api_as, idea, who, status, code):
    user = request.getfixturevalue(who) if who else None
    body = expect(call(api_as, user, "post", f"{API}ideas/{idea.pk}/answer/", {"answer": "Yes!"}), status, code)
    if status == 200:
        assert body["status"] == "answered" and body["leader_answer"] == "Yes!"
        assert body["answered_by"]["id"] == user.pk


def test_answer_needs_text(api_as, idea, leader):
    expect(call(api_as, leader, "post", f"{API}ideas/{idea.pk}/answer/", {"answer": ""}), 400, "answer_required")


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, ANONYMOUS, "not_authenticated"),
        ("leader", 200, None),
        ("staff", 200, None),
        ("robin", 200, None),  # the person who proposed it may withdraw it
        ("sky", 403, "not_a_leader"),
        ("moderator", 403, "not_a_leader"),
        ("outsider", 404, "idea_not_found"),
        ("evaluator", 404, "idea_not_found"),
    ],
)
def test_close_access(request, api_as, idea, who, status, code):
    user = request.getfixturevalue(who) if who else None
    body = expect(call(api_as, user, "post", f"{API}ideas/{idea.pk}/close/", {"reason": "Done"}), status, code)
    if status == 200:
        assert body["status"] == "closed" and body["closed_reason"] == "Done"


def test_close_needs_a_reason_and_only_once(api_as, idea, leader):
    expect(call(api_as, leader, "post", f"{API}ideas/{idea.pk}/close/", {}), 400, "reason_required")
    expect(call(api_as, leader, "post", f"{API}ideas/{idea.pk}/close/", {"reason": "No"}), 200)
    expect(call(api_as, leader, "post", f"{API}ideas/{idea.pk}/close/", {"reason": "No"}), 409, "idea_closed")


def _event_body(**overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0)
    return {
        "title": "Pizza night",
        "category": "social",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "area": "Town centre",
        **overrides,
    }


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, ANONYMOUS, "not_authenticated"),
        ("leader", 201, None),
        ("staff", 201, None),
        ("robin", 403, "not_a_leader"),
        ("moderator", 403, "not_a_leader"),
        ("outsider", 404, "idea_not_found"),
        ("evaluator", 404, "idea_not_found"),
    ],
)
def test_to_event_access(request, api_as, idea, sky, who, status, code):
    idea_back(actor=sky, idea=idea)
    user = request.getfixturevalue(who) if who else None
    body = expect(call(api_as, user, "post", f"{API}ideas/{idea.pk}/event/", _event_body()), status, code)
    if status == 201:
        event = Event.objects.get()
        assert body["event"] == {"id": event.pk, "title": "Pizza night", "url": f"/events/{event.pk}/"}
        assert body["idea"]["status"] == IdeaStatus.TURNED_INTO_EVENT and body["idea"]["event_id"] == event.pk
        assert event.area == "Town centre"
        assert Notification.objects.filter(kind="idea_became_event", user=sky).exists()
    else:
        assert not Event.objects.exists()


def test_to_event_reports_event_refusals(api_as, idea, leader):
    body = _event_body()
    body["ends_at"] = body["starts_at"]
    expect(call(api_as, leader, "post", f"{API}ideas/{idea.pk}/event/", body), 400, "ends_before_start")
    expect(call(api_as, leader, "post", f"{API}ideas/{idea.pk}/event/", {"title": "x"}), 400, "invalid")
    assert not Event.objects.exists()


def test_to_event_twice_is_refused(api_as, idea, leader):
    expect(call(api_as, leader, "post", f"{API}ideas/{idea.pk}/event/", _event_body()), 201)
    expect(call(api_as, leader, "post", f"{API}ideas/{idea.pk}/event/", _event_body()), 409, "idea_already_event")


# --- schema --------------------------------------------------------------------------------------


def test_schema_has_every_ideas_endpoint_without_warnings():
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include(api_urlpatterns))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned about the ideas API"
    paths = schema["paths"]
    assert set(paths["/api/v1/groups/{slug}/ideas/"]) >= {"get", "post"}
    assert "get" in paths["/api/v1/ideas/{idea_id}/"]
    assert set(paths["/api/v1/ideas/{idea_id}/backing/"]) >= {"post", "delete"}
    assert set(paths["/api/v1/ideas/{idea_id}/comments/"]) >= {"get", "post"}
    assert "delete" in paths["/api/v1/ideas/{idea_id}/comments/{comment_id}/"]
    for action in ("answer", "close", "event"):
        assert "post" in paths[f"/api/v1/ideas/{{idea_id}}/{action}/"]


def test_ideas_and_calendar_component_names_do_not_clash_with_other_apis():
    """The whole API's schema: none of drf-spectacular's warnings may be about the ideas or calendar APIs."""
    GENERATOR_STATS.reset()
    SchemaGenerator(urlconf=URLCONF).get_schema(request=None, public=True)
    mine = [text for text in GENERATOR_STATS._warn_cache if "api_ideas" in text or "api_calendar" in text]
    assert not mine, mine
