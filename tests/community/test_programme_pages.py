"""The programme dashboard page and its CSV downloads: who sees them, what they show, and what they never show."""

from __future__ import annotations

import csv
import io

import pytest

from community.selectors.programme import TABLE_KEYS
from tests.community.programme_world import build_programme_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, group):
    return build_programme_world(make_user=make_user, group=group)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode() if response.streaming
                                       else response.content.decode("utf-8-sig"))))  # fmt: skip


def test_staff_see_the_programme_figures_with_charts_tables_and_downloads(client, staff, world):
    client.force_login(staff)
    response = client.get("/programme/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Programme figures" in page
    assert "<svg" in page
    assert "Download CSV" in page
    assert "How these figures are made" in page


@pytest.mark.parametrize("role", ["evaluator", "staff"])
def test_no_name_on_the_page_or_in_a_download(client, request, world, role):
    client.force_login(request.getfixturevalue(role))
    pages = [client.get("/programme/").content.decode()]
    for key in TABLE_KEYS:
        pages.append(client.get(f"/programme/{key}.csv").content.decode())
    for text in pages:
        for person in [*world.consenting, *world.quiet]:
            assert person.display_name not in text
            assert person.email not in text


@pytest.mark.parametrize("role", ["member", "moderator", "leader"])
def test_members_moderators_and_leaders_cannot_open_the_programme_figures(client, request, role, world):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/programme/").status_code == 403
    assert client.get("/programme/attendance.csv").status_code == 403


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get("/programme/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_attendance_download_matches_the_page_with_small_cells_as_c(client, evaluator, world):
    client.force_login(evaluator)
    rows = _csv(client.get("/programme/attendance.csv"))
    assert rows[0] == ["Month", "Learning", "Social", "All"]
    learning = [row[1] for row in rows[1:]]
    assert "c" in learning  # 3 people at the learning event
    assert "3" not in learning
    page = client.get("/programme/").content.decode()
    assert '<abbr title="not shown: too few people">c</abbr>' in page


def test_the_downloads_carry_the_filters_on_the_page(client, staff, world):
    client.force_login(staff)
    page = client.get(f"/programme/?from=2026-01-01&to=2026-06-30&group={world.group.slug}&category=social")
    text = page.content.decode()
    assert "/programme/attendance.csv?from=2026-01-01&amp;to=2026-06-30&amp;group=art-club&amp;category=social" in text
    assert 'value="2026-01-01"' in text and '<option value="art-club" selected>' in text


def test_a_group_filter_counts_only_that_groups_activities(client, staff, world, make_group, make_user):
    from django.utils import timezone

    from community.models import EvaluationConsent
    from community.services.participation import participation_record

    other = make_group(name="Other", slug="other")
    for n in range(12):
        person = make_user(display_name=f"Elsewhere {n}")
        EvaluationConsent.objects.create(user=person, consents=True)
        participation_record(
            user=person, activity_key="event:99", group=other, category="social", occurred_at=timezone.now()
        )
    client.force_login(staff)
    everyone = _csv(client.get("/programme/attendance.csv"))
    art = _csv(client.get(f"/programme/attendance.csv?group={world.group.slug}"))
    assert everyone[-1][-1] == "71"  # 59 at Art Club's events and 12 elsewhere
    assert art[-1][-1] == "59"


def test_a_bad_filter_says_so_kindly_and_shows_the_last_year(client, staff, world):
    client.force_login(staff)
    response = client.get("/programme/?from=tomorrow")
    assert response.status_code == 400
    assert "should look like 2026-01-31" in response.content.decode()
    assert client.get("/programme/attendance.csv?from=tomorrow").status_code == 400
    assert client.get("/programme/nothing.csv").status_code == 404


def test_staff_and_evaluators_find_the_figures_in_the_menu(client, staff, evaluator, member, world):
    for person, shown in ((staff, True), (evaluator, True), (member, False)):
        client.force_login(person)
        assert ('href="/programme/"' in client.get("/").content.decode()) is shown


def test_the_page_takes_the_same_number_of_queries_with_more_people(client, staff, world, make_user, group):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from community.models import EvaluationConsent
    from community.services.participation import participation_record

    client.force_login(staff)
    client.get("/programme/")
    with CaptureQueriesContext(connection) as before:
        client.get("/programme/")
    for n in range(10):
        person = make_user(display_name=f"Another {n}")
        EvaluationConsent.objects.create(user=person, consents=True)
        participation_record(user=person, activity_key="event:50", group=group, category="work",
                             occurred_at=timezone.now())  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        client.get("/programme/")
    assert len(after) == len(before)


@pytest.mark.parametrize(
    "query", ["from=0001-01-01&to=0001-01-02", "from=9999-12-01&to=9999-12-31", "from=2026-02-30", "from=1800-01-01"]
)
def test_dates_off_the_calendar_are_refused_not_a_server_error(client, api_as, staff, group, query):
    """The figures also look at the period before the one chosen and the day after it: near year 1 or 9999 that
    would run off the calendar."""
    client.force_login(staff)
    assert client.get(f"/programme/?{query}").status_code == 400
    assert client.get(f"/groups/{group.slug}/figures/?{query}").status_code == 400
    assert client.get(f"/programme/attendance.csv?{query}").status_code == 400
    response = api_as(staff).get(f"/api/v1/programme/summary/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_filter"
