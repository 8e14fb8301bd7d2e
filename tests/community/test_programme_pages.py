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
