"""My dashboard (/me/dashboard/): only my own record, charts with text and tables, kind words, bounded queries."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import SiteRole
from community.scoring import SWEMWBS_LICENCE
from community.selectors.dashboard import MyConnections, my_dashboard
from community.services import destinations
from community.services.participation import participation_record
from community.services.wellbeing import checkin_record

URL = "/me/dashboard/"
SWEMWBS_ALL = {f"swemwbs_{n}": 3 for n in range(1, 8)}  # raw 21


def checkin(user, days_ago: int, **answers):
    made = checkin_record(actor=user, answers=answers)
    made.created_at = timezone.now() - timedelta(days=days_ago)
    made.save(update_fields=["created_at"])
    return made


def attend(user, key, days_ago):
    participation_record(
        user=user,
        activity_key=key,
        group=None,
        category="social",
        occurred_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_dashboard_page_is_named_my_dashboard():
    assert reverse("community:my-dashboard") == URL


def test_an_empty_dashboard_invites_without_nagging(client, member):
    client.force_login(member)
    page = html.unescape(client.get(URL).content.decode())
    assert "You haven't done a check-in yet" in page
    assert "You haven't been to an event yet" in page
    assert "You haven't written any goals yet" in page
    assert "<svg" not in page


def test_my_charts_show_with_text_alternative_table_band_and_licence(client, member, settings):
    settings.HN_SWEMWBS_MEANINGFUL_CHANGE = 3
    checkin(
        member,
        60,
        **SWEMWBS_ALL,
        ons_anxiety=7,
        ons_happiness=5,
        ucla_companionship=2,
        ucla_left_out=2,
        ucla_isolated=1,
    )
    checkin(member, 2, **{**SWEMWBS_ALL, "swemwbs_1": 5}, ons_anxiety=3, ons_happiness=7)
    data = my_dashboard(user=member)
    assert data.swemwbs_band == (data.swemwbs_first - 3, data.swemwbs_first + 3)
    client.force_login(member)
    page = html.unescape(client.get(URL).content.decode())
    assert page.count('role="img"') == 3
    assert page.count("<caption") == 3
    assert "within 3 points of your first score" in page
    assert SWEMWBS_LICENCE in page
    assert "Anxious yesterday (lower is calmer)" in page
    assert "Loneliness total" in page
    lowered = page.lower()
    for judgement in (" good ", " bad ", "poor", "low wellbeing", "neet"):
        assert judgement not in lowered


def test_connections_read_in_plain_words(client, member, make_user):
    friend, other = make_user(), make_user()
    for n in range(3):
        attend(member, f"event:{n}", 30 - n)
        attend(friend, f"event:{n}", 30 - n)
    attend(other, "event:0", 30)
    client.force_login(member)
    page = html.unescape(client.get(URL).content.decode())
    assert "You've been to 3 events and met 2 people, 1 of them more than once." in page


@pytest.mark.parametrize(
    ("counts", "sentence"),
    [
        ((1, 0, 0), "You've been to 1 event."),
        ((6, 14, 5), "You've been to 6 events and met 14 people, 5 of them more than once."),
        ((2, 1, 1), "You've been to 2 events and met 1 person, more than once."),
        ((2, 3, 0), "You've been to 2 events and met 3 people."),
    ],
)
def test_connection_sentences(counts, sentence):
    assert MyConnections(*counts).sentence == sentence


def test_my_goals_show_with_progress_and_ticked_steps(client, member):
    goal = destinations.goal_add(actor=member, area="job", title="Find a weekend job")
    destinations.goal_update(actor=member, goal_id=goal.pk, progress=30)
    step = destinations.goal_step_add(actor=member, goal_id=goal.pk, text="Write a CV")
    destinations.goal_step_add(actor=member, goal_id=goal.pk, text="Ask at the café")
    destinations.goal_step_toggle(actor=member, goal_id=goal.pk, step_id=step.pk)
    client.force_login(member)
    page = html.unescape(client.get(URL).content.decode())
    assert "Find a weekend job" in page
    assert 'value="30"' in page
    assert "1 of 2 small steps ticked off" in page


def test_the_dashboard_shows_only_my_own_record(client, member, make_user):
    someone = make_user(display_name="Someone")
    checkin(someone, 3, **SWEMWBS_ALL)
    destinations.goal_add(actor=someone, area="job", title="Someone else's secret goal")
    for viewer in (member, make_user(role=SiteRole.STAFF), make_user(role=SiteRole.MODERATOR)):
        client.force_login(viewer)
        page = html.unescape(client.get(URL).content.decode())
        assert "secret goal" not in page
        assert "<svg" not in page


def test_evaluators_have_no_personal_dashboard_and_visitors_log_in_first(client, evaluator):
    assert client.get(URL).status_code == 302
    client.force_login(evaluator)
    response = client.get(URL)
    assert response.status_code == 403


def test_the_dashboard_query_count_stays_the_same_however_long_the_history(
    client, member, make_user, django_assert_max_num_queries
):
    for n in range(12):
        checkin(
            member,
            200 - n * 14,
            **SWEMWBS_ALL,
            ons_happiness=n % 10,
            ucla_companionship=1,
            ucla_left_out=2,
            ucla_isolated=3,
        )
    for n in range(8):
        goal = destinations.goal_add(actor=member, area="learning", title=f"Goal {n}")
        destinations.goal_step_add(actor=member, goal_id=goal.pk, text="A step")
    others = [make_user() for _ in range(5)]
    for n in range(6):
        attend(member, f"event:{n}", 100 - n)
        for person in others:
            attend(person, f"event:{n}", 100 - n)
    client.force_login(member)
    client.get("/me/password/")  # the policy gate remembers the member's yes after their first request
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    assert "met 5 people, 5 of them more than once" in html.unescape(response.content.decode())


def test_the_me_page_links_to_my_dashboard_and_destination(client, member):
    client.force_login(member)
    page = client.get(reverse("community:profile-edit")).content.decode()
    assert URL in page and reverse("community:my-destination") in page
