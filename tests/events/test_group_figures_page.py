"""A group's figures for its peer leaders: attendance, returning members and pulse averages by month, aggregates only,
consenting members only, small numbers as c; the page, the API and who may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import EvaluationConsent, MembershipRole
from community.services.participation import participation_record
from events.models import Pulse
from tests.events.domain_factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures_world(make_user, group, add_member, leader):
    """Twelve consenting members at two events 20 and 10 days ago, each answering "how was it?" (feeling 4, and
    connected yes for eight of them); two quiet members (no consent) at the second with feeling 1."""
    people = [make_user(display_name=f"Member {n:02d}") for n in range(12)]
    quiet = [make_user(display_name=f"Quiet {n}") for n in range(2)]
    for person in [*people, *quiet]:
        add_member(group, person)
    for person in people:
        EvaluationConsent.objects.create(user=person, consents=True)
    events = [make_event(group, starts_in=-timedelta(days=days)) for days in (20, 10)]
    for index, event in enumerate(events):
        attendees = people if index == 0 else [*people, *quiet]
        for person in attendees:
            participation_record(
                user=person, activity_key=f"event:{event.pk}", group=group, category="social",
                occurred_at=event.starts_at,
            )  # fmt: skip
            consenting = person in people
            Pulse.objects.create(
                event=event, user=person, feeling=4 if consenting else 1,
                connected="yes" if consenting and people.index(person) < 8 else "no",
            )  # fmt: skip
    return {"people": people, "quiet": quiet, "events": events}


def _whole(api_as, user, group) -> list:
    body = api_as(user).get(f"/api/v1/groups/{group.slug}/figures/").json()
    return next(row for row in body["table"]["rows"] if row[0] == "Whole period")


def test_a_leader_sees_their_groups_totals_and_pulse_averages(api_as, leader, group, figures_world):
    whole = _whole(api_as, leader, group)
    # events, check-ins, different people, returning, answers, average feeling, felt connected
    assert whole[1:6] == [2, 24, 12, "c", 24]  # all 12 returned: 12 - 12 = 0 new people would be a small count
    assert whole[6] == 4.0  # the two quiet members' answers don't count
    assert whole[7] == "c"  # 16 of 24 said yes: the 8 who didn't are too few to publish the share


def test_small_months_are_c_on_the_page_too(client, leader, group, figures_world):
    client.force_login(leader)
    page = client.get(f"/groups/{group.slug}/figures/").content.decode()
    assert "How Art Club is doing" in page
    assert '<abbr title="not shown: too few people">c</abbr>' in page
    assert "<svg" in page
    for person in [*figures_world["people"], *figures_world["quiet"]]:
        assert person.display_name not in page


def test_the_group_page_links_leaders_to_the_figures(client, leader, member, group, add_member):
    add_member(group, member)
    client.force_login(leader)
    assert f"/groups/{group.slug}/figures/" in client.get(f"/groups/{group.slug}/").content.decode()
    client.force_login(member)
    assert f"/groups/{group.slug}/figures/" not in client.get(f"/groups/{group.slug}/").content.decode()


def test_a_leader_of_another_group_and_members_are_refused(client, make_user, make_group, add_member, group, member):
    other = make_group(name="Other")
    other_leader = make_user(display_name="Other leader")
    add_member(other, other_leader, role=MembershipRole.LEADER)
    add_member(group, member)
    for person in (other_leader, member):
        client.force_login(person)
        assert client.get(f"/groups/{group.slug}/figures/").status_code == 403


def test_a_consent_withdrawn_leaves_the_figures(api_as, leader, group, figures_world):
    EvaluationConsent.objects.create(
        user=figures_world["people"][0], consents=False, recorded_at=timezone.now() + timedelta(seconds=1)
    )
    whole = _whole(api_as, leader, group)
    assert whole[2:4] == [22, 11]


def test_the_figures_take_a_fixed_number_of_queries(api_as, leader, group, figures_world, make_user, add_member):
    client = api_as(leader)
    url = f"/api/v1/groups/{group.slug}/figures/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    event = figures_world["events"][1]
    for n in range(15):
        person = make_user(display_name=f"Extra {n}")
        EvaluationConsent.objects.create(user=person, consents=True)
        participation_record(
            user=person, activity_key=f"event:{event.pk}", group=group, category="social", occurred_at=event.starts_at
        )
        Pulse.objects.create(event=event, user=person, feeling=3, connected="not_sure")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before) <= 15


def test_counts_and_averages_need_ten_people_not_ten_answers(api_as, leader, group, make_user, add_member):
    """One consenting member checked in and answering "how was it?" at twelve events is still one person: no count of
    check-ins or answers, no average, no share."""
    person = make_user(display_name="Only One")
    add_member(group, person)
    EvaluationConsent.objects.create(user=person, consents=True)
    for days in range(2, 14):
        event = make_event(group, starts_in=-timedelta(days=days))
        participation_record(
            user=person, activity_key=f"event:{event.pk}", group=group, category="social", occurred_at=event.starts_at
        )
        Pulse.objects.create(event=event, user=person, feeling=5, connected="yes" if days % 2 else "no")
    whole = _whole(api_as, leader, group)
    assert whole[1] == 12  # twelve events: the group's own, shown
    assert whole[2] == "c"  # twelve check-ins, all by one person
    assert whole[5] == "c"  # twelve answers, all by one person
    assert whole[6] == "c"
    assert whole[7] == "c"


def test_returning_members_are_c_when_the_new_ones_would_be_too_few(api_as, leader, group, make_user, add_member):
    """15 different people, 12 of them returning: publishing 12 beside 15 would give away 3 new people."""
    people = [make_user(display_name=f"Person {n:02d}") for n in range(15)]
    first, second = (make_event(group, starts_in=-timedelta(days=days)) for days in (20, 10))
    for index, person in enumerate(people):
        add_member(group, person)
        EvaluationConsent.objects.create(user=person, consents=True)
        for event in (first, second) if index < 12 else (second,):
            participation_record(
                user=person, activity_key=f"event:{event.pk}", group=group, category="social",
                occurred_at=event.starts_at,
            )  # fmt: skip
    whole = _whole(api_as, leader, group)
    assert whole[3] == 15
    assert whole[4] == "c"
