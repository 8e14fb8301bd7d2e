"""My positive destination and What I'm doing now pages: plain forms that use the same services."""

from __future__ import annotations

import html

from community.models import ActivityStatus, DestinationArea, Goal
from community.services import destinations

PAGE = "/me/destination/"


def read(response) -> str:
    return html.unescape(response.content.decode())


def test_the_page_lists_the_eight_areas_with_their_labels(client, member):
    client.force_login(member)
    page = read(client.get(PAGE))
    for _key, label in destinations.area_choices():
        assert label in page
    assert "No goals yet" in page


def test_choosing_areas_adding_a_goal_and_ticking_steps_through_the_forms(client, member):
    client.force_login(member)
    client.post(f"{PAGE}areas/", {"areas": ["job", "healthy"]})
    assert set(DestinationArea.objects.filter(user=member).values_list("area", flat=True)) == {"job", "healthy"}
    client.post(f"{PAGE}goal-add/", {"area": "job", "title": "Find a weekend job"})
    goal = Goal.objects.get(user=member)
    first = destinations.goal_step_add(actor=member, goal_id=goal.pk, text="Write a CV")
    second = destinations.goal_step_add(actor=member, goal_id=goal.pk, text="Ask at the café")
    response = client.post(f"{PAGE}steps-tick/", {"goal": goal.pk, "done": [second.pk]})
    assert response.status_code == 302 and response.url.endswith(f"#goal-{goal.pk}")
    first.refresh_from_db(), second.refresh_from_db()
    assert first.done_at is None and second.done_at is not None
    client.post(f"{PAGE}goal-update/", {"goal": goal.pk, "progress": "45"})
    goal.refresh_from_db()
    assert goal.progress == 45
    page = read(client.get(PAGE))
    assert "Find a weekend job" in page and "1 of 2 ticked off" in page


def test_bad_input_is_told_kindly_not_a_500(client, member):
    client.force_login(member)
    response = client.post(f"{PAGE}goal-add/", {"area": "moon", "title": "x"}, follow=True)
    assert "Please choose one of the eight areas." in read(response)
    assert client.post(f"{PAGE}no-such-thing/").status_code == 404


def test_the_activity_page_uses_plain_words_and_can_be_cleared(client, member):
    client.force_login(member)
    page = read(client.get("/me/doing-now/"))
    assert "Working or training part-time" in page
    assert "NEET" not in page and "Not in education" not in page
    client.post("/me/doing-now/", {"code": "P5"})
    assert ActivityStatus.objects.get(user=member).code == "P5"
    client.post("/me/doing-now/", {"clear": "1"})
    assert not ActivityStatus.objects.filter(user=member).exists()


def test_evaluators_keep_no_destination(client, evaluator):
    client.force_login(evaluator)
    assert client.get(PAGE).status_code == 403
    assert client.get("/me/doing-now/").status_code == 403


def test_odd_numbers_in_the_forms_are_not_a_500(client, member):
    """ "²" passes str.isdigit() but int() refuses it; a huge id finds nothing."""
    client.force_login(member)
    client.post(f"{PAGE}goal-add/", {"area": "job", "title": "Find a weekend job"})
    goal = Goal.objects.get(user=member)
    for fields in (
        {"goal": "²"},
        {"goal": "9" * 30},
        {"goal": goal.pk, "progress": "²"},
        {"goal": goal.pk, "progress": "9" * 30},
    ):
        assert client.post(f"{PAGE}goal-update/", fields).status_code == 302
    assert client.post(f"{PAGE}steps-tick/", {"goal": goal.pk, "done": ["²"]}).status_code == 302
    assert client.post(f"{PAGE}step-delete/", {"goal": goal.pk, "step": "²"}).status_code == 302
    goal.refresh_from_db()
    assert goal.progress == 0
