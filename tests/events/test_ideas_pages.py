"""Idea pages: list and share, detail with backing and comments, and the leaders' answer, close and make-event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Notification
from events.models import Event, Idea, IdeaBacking, IdeaComment, IdeaStatus
from events.services.ideas import idea_back, idea_close, idea_comment, idea_propose
from tests.events.test_ideas_urls import URLCONF

pytestmark = pytest.mark.urls(URLCONF)


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
def idea(robin, group):
    return idea_propose(actor=robin, group=group, title="Pizza and a film", why="Cosy night", rough_when="Friday")


def logged_in(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


# --- list and share ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, group):
    response = client.get("/groups/art-club/ideas/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_shows_ideas_most_backed_first(client, robin, sky, group):
    idea_propose(actor=robin, group=group, title="Less backed")
    popular = idea_propose(actor=robin, group=group, title="Most backed")
    idea_back(actor=sky, idea=popular)
    page = text(logged_in(client, sky).get("/groups/art-club/ideas/"))
    assert page.index("Most backed") < page.index("Less backed")
    assert "1 person backs this." in page
    assert "You back this" in page
    assert page.count("<h1>") == 1
    assert 'id="share-idea"' in page


def test_outsider_gets_a_kind_error_page(client, make_user, group):
    response = logged_in(client, make_user()).get("/groups/art-club/ideas/")
    assert response.status_code == 403
    assert "Join it to see them" in text(response)


def test_member_shares_an_idea(client, robin):
    response = logged_in(client, robin).post(
        "/groups/art-club/ideas/", {"title": "Bowling", "why": "Fun", "rough_when": "Sunday"}
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ideas/{idea.pk}/"
    assert (idea.title, idea.proposed_by) == ("Bowling", robin)
    followed = client.get(response["Location"])
    assert "Thanks for sharing your idea!" in text(followed)


def test_sharing_without_a_title_shows_the_form_again(client, robin):
    response = logged_in(client, robin).post("/groups/art-club/ideas/", {"title": "", "why": "Fun"})
    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert not Idea.objects.exists()


def test_moderator_sees_ideas_but_no_share_form(client, moderator, idea):
    page = text(logged_in(client, moderator).get("/groups/art-club/ideas/"))
    assert "Pizza and a film" in page
    assert 'id="share-idea"' not in page


def test_past_tab_lists_closed_ideas(client, robin, leader, group):
    closed = idea_propose(actor=robin, group=group, title="Old idea")
    idea_close(actor=leader, idea=closed, reason="Done before")
    client = logged_in(client, robin)
    assert "Old idea" not in text(client.get("/groups/art-club/ideas/"))
    assert "Old idea" in text(client.get("/groups/art-club/ideas/?state=past"))


# --- detail, back, comment -----------------------------------------------------------------------


def test_detail_shows_the_idea_and_the_back_button(client, idea, sky):
    page = text(logged_in(client, sky).get(f"/ideas/{idea.pk}/"))
    assert "Pizza and a film" in page and "Cosy night" in page and "Friday" in page
    assert "I'd go to this" in page
    assert "For peer leaders" not in page


def test_proposer_sees_no_back_button(client, idea, robin):
    page = text(logged_in(client, robin).get(f"/ideas/{idea.pk}/"))
    assert "This is your idea" in page
    assert "I'd go to this" not in page


def test_back_and_unback_by_post(client, idea, sky):
    client = logged_in(client, sky)
    assert client.get(f"/ideas/{idea.pk}/back/").status_code == 405
    response = client.post(f"/ideas/{idea.pk}/back/")
    assert response.status_code == 302
    assert IdeaBacking.objects.filter(idea=idea, user=sky).exists()
    assert "Stop backing this idea" in text(client.get(f"/ideas/{idea.pk}/"))
    client.post(f"/ideas/{idea.pk}/unback/")
    assert not IdeaBacking.objects.exists()


def test_backing_own_idea_shows_a_message(client, idea, robin):
    response = logged_in(client, robin).post(f"/ideas/{idea.pk}/back/", follow=True)
    assert "your own idea" in text(response)
    assert not IdeaBacking.objects.exists()


def test_comment_and_remove(client, idea, sky):
    client = logged_in(client, sky)
    response = client.post(f"/ideas/{idea.pk}/comment/", {"body": "Count me in"}, follow=True)
    assert "Count me in" in text(response) and "Your comment is posted." in text(response)
    comment = IdeaComment.objects.get()
    client.post(f"/ideas/{idea.pk}/comments/{comment.pk}/remove/")
    assert not IdeaComment.objects.exists()


def test_empty_comment_re_renders_with_an_error(client, idea, sky):
    response = logged_in(client, sky).post(f"/ideas/{idea.pk}/comment/", {"body": ""})
    assert response.status_code == 400
    assert "This field is required." in text(response)


def test_comment_on_closed_idea_shows_the_reason(client, idea, sky, leader):
    idea_close(actor=leader, idea=idea, reason="Not this term")
    page = text(logged_in(client, sky).get(f"/ideas/{idea.pk}/"))
    assert "Not this term" in page and "Add a comment" not in page
    response = client.post(f"/ideas/{idea.pk}/comment/", {"body": "But why"})
    assert response.status_code == 400 and "This idea is closed now" in text(response)


def test_others_cannot_remove_a_comment(client, idea, sky, robin):
    comment = idea_comment(actor=sky, idea=idea, body="Mine")
    response = logged_in(client, robin).post(f"/ideas/{idea.pk}/comments/{comment.pk}/remove/", follow=True)
    assert "only remove your own" in text(response)
    assert IdeaComment.objects.exists()


def test_outsider_cannot_open_an_idea(client, idea, make_user):
    response = logged_in(client, make_user()).get(f"/ideas/{idea.pk}/")
    assert response.status_code == 404
    assert "couldn&#x27;t find that idea" in text(response)


# --- leaders -------------------------------------------------------------------------------------


def test_leader_sees_tools_and_answers(client, idea, leader, robin):
    client = logged_in(client, leader)
    page = text(client.get(f"/ideas/{idea.pk}/"))
    assert "For peer leaders" in page and "Turn this idea into an event" in page
    response = client.post(f"/ideas/{idea.pk}/answer/", {"answer": "Love this!"}, follow=True)
    assert "Love this!" in text(response)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ANSWERED
    assert Notification.objects.filter(user=robin, kind="idea_answered").exists()


def test_member_posting_an_answer_is_refused_kindly(client, idea, sky):
    response = logged_in(client, sky).post(f"/ideas/{idea.pk}/answer/", {"answer": "Yes"})
    assert response.status_code == 400
    assert "peer leaders and staff" in text(response)
    idea.refresh_from_db()
    assert idea.leader_answer == ""


def test_leader_closes_with_a_reason(client, idea, leader):
    client = logged_in(client, leader)
    response = client.post(f"/ideas/{idea.pk}/close/", {"reason": ""})
    assert response.status_code == 400
    response = client.post(f"/ideas/{idea.pk}/close/", {"reason": "We did this last month"}, follow=True)
    assert "We did this last month" in text(response)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.CLOSED


def _event_form(**overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=9)).replace(hour=18, minute=0, second=0, microsecond=0)
    return {
        "title": "Pizza night",
        "description": "From an idea",
        "category": "social",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "area": "Town centre",
        "rsvp_mode": "open",
        "visibility": "group",
        **overrides,
    }


def test_leader_turns_an_idea_into_an_event(client, idea, leader, sky):
    idea_back(actor=sky, idea=idea)
    client = logged_in(client, leader)
    form_page = text(client.get(f"/ideas/{idea.pk}/make-event/"))
    assert 'value="Pizza and a film"' in form_page and "Suggested for: Friday" in form_page
    response = client.post(f"/ideas/{idea.pk}/make-event/", _event_form())
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert timezone.localtime(event.starts_at).hour == 18
    idea.refresh_from_db()
    assert idea.event == event and idea.status == IdeaStatus.TURNED_INTO_EVENT
    assert Notification.objects.filter(user=sky, kind="idea_became_event").exists()
    detail = text(client.get(f"/ideas/{idea.pk}/"))
    assert "It's happening!" in detail and f'href="/events/{event.pk}/"' in detail


def test_make_event_shows_event_refusals_on_the_form(client, idea, leader):
    form = _event_form()
    form["ends_at"] = form["starts_at"]
    response = logged_in(client, leader).post(f"/ideas/{idea.pk}/make-event/", form)
    assert response.status_code == 400
    assert "end time needs to be after the start time" in text(response)
    assert not Event.objects.exists()


def test_member_cannot_open_make_event(client, idea, sky):
    response = logged_in(client, sky).get(f"/ideas/{idea.pk}/make-event/")
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_idea_page_query_count_does_not_grow_with_comments(client, idea, sky, robin, django_assert_max_num_queries):
    client = logged_in(client, sky)
    idea_comment(actor=robin, idea=idea, body="First")
    client.get(f"/ideas/{idea.pk}/")  # warm up the session
    with django_assert_max_num_queries(20) as few:
        client.get(f"/ideas/{idea.pk}/")
    for n in range(8):
        idea_comment(actor=robin if n % 2 else sky, idea=idea, body=f"Comment {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Comment 7" in page


def test_ideas_list_query_count_does_not_grow(client, robin, sky, group, django_assert_max_num_queries):
    client = logged_in(client, sky)
    idea_propose(actor=robin, group=group, title="One")
    client.get("/groups/art-club/ideas/")
    with django_assert_max_num_queries(20) as few:
        client.get("/groups/art-club/ideas/")
    for n in range(8):
        idea_back(actor=sky, idea=idea_propose(actor=robin, group=group, title=f"Idea {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/groups/art-club/ideas/").content.decode()
    assert "Idea 7" in page
