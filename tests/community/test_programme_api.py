"""The programme figures API: the same tables as the page, suppressed the same way in JSON and CSV; filters; consent;
a bounded number of queries."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import EvaluationConsent, WellbeingCheckIn
from community.selectors.programme import TABLE_KEYS
from community.services.participation import participation_record
from tests.community.programme_world import build_programme_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, group):
    return build_programme_world(make_user=make_user, group=group)


def _table(summary: dict, key: str) -> dict:
    return next(table for table in summary["tables"] if table["key"] == key)


def _cells(table: dict, label: str) -> list:
    return next(row for row in table["rows"] if row[0] == label)


def test_the_summary_has_every_table_and_small_cells_are_c(api_as, evaluator, world):
    response = api_as(evaluator).get("/api/v1/programme/summary/")
    assert response.status_code == 200
    summary = response.json()
    assert [table["key"] for table in summary["tables"]] == list(TABLE_KEYS)
    assert summary["suppressed"] == "c" and summary["threshold"] == 10
    assert summary["headline"] == [{"title": "Active members", "value": 14}]
    attendance = _table(summary, "attendance")
    learning = [row[1] for row in attendance["rows"]]
    assert "c" in learning and 3 not in learning


def test_json_and_csv_publish_the_same_cells(api_as, staff, world):
    client = api_as(staff)
    for key in TABLE_KEYS:
        table = client.get(f"/api/v1/programme/tables/{key}/").json()
        response = client.get(f"/api/v1/programme/tables/{key}/csv/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == len(table["rows"]) + 1
        for json_row, csv_row in zip(table["rows"], rows[1:], strict=True):
            assert [cell == "c" for cell in json_row] == [cell == "c" for cell in csv_row]


def test_no_name_or_email_in_any_answer(api_as, evaluator, world):
    client = api_as(evaluator)
    bodies = [client.get("/api/v1/programme/summary/").content.decode()]
    bodies += [client.get(f"/api/v1/programme/tables/{key}/csv/").content.decode() for key in TABLE_KEYS]
    for body in bodies:
        for person in [*world.consenting, *world.quiet]:
            assert person.display_name not in body
            assert person.email not in body


def test_filters_narrow_the_figures_and_bad_ones_are_refused(api_as, staff, world, make_group):
    client = api_as(staff)
    today = timezone.localdate()
    recent = client.get(f"/api/v1/programme/summary/?from={today - timedelta(days=15)}&to={today}").json()
    attendance = _table(recent, "attendance")
    assert attendance["columns"][1:] == [{"title": "Learning", "kind": "count"}, {"title": "Social", "kind": "count"},
                                         {"title": "All", "kind": "count"}]  # fmt: skip
    assert _cells(attendance, "All")[-1] == 17  # 14 at the social event 10 days ago, 3 at the learning one
    social = client.get("/api/v1/programme/summary/?category=social").json()
    assert [column["title"] for column in _table(social, "attendance")["columns"]] == ["Month", "Social", "All"]
    other = make_group(name="Other", slug="other")
    assert client.get(f"/api/v1/programme/summary/?group={other.slug}").json()["headline"][0]["value"] == "c"
    for query in ("from=yesterday", f"from={today}&to={today - timedelta(days=1)}", "group=nope"):
        response = client.get(f"/api/v1/programme/summary/?{query}")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_filter"
    assert client.get("/api/v1/programme/tables/nope/").status_code == 404


def test_a_member_who_does_not_consent_changes_nothing(api_as, staff, world, make_user, group):
    client = api_as(staff)
    before = client.get("/api/v1/programme/summary/").content
    newcomer = make_user(display_name="Newcomer")
    EvaluationConsent.objects.create(user=newcomer, consents=False)
    for number in (1, 2, 3, 4, 5):
        participation_record(
            user=newcomer, activity_key=f"event:{number}", group=group, category="social",
            occurred_at=timezone.now() - timedelta(days=number),
        )  # fmt: skip
    WellbeingCheckIn.objects.create(user=newcomer, ons_happiness=3, ucla_total=9, lonely_direct="often_always")
    assert client.get("/api/v1/programme/summary/").content == before
    # and one whose consent is withdrawn drops out of the figures
    EvaluationConsent.objects.create(user=world.consenting[0], consents=False)
    after = json.loads(client.get("/api/v1/programme/summary/").content)
    assert after["headline"][0]["value"] == 13


def test_the_summary_takes_the_same_number_of_queries_for_more_people(api_as, staff, world, make_user, group):
    client = api_as(staff)
    client.get("/api/v1/programme/summary/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/programme/summary/").status_code == 200
        return len(queries)

    small = count()
    for n in range(12):
        person = make_user(display_name=f"More {n}")
        EvaluationConsent.objects.create(user=person, consents=True)
        participation_record(
            user=person, activity_key="event:9", group=group, category="work", occurred_at=timezone.now()
        )
        WellbeingCheckIn.objects.create(user=person, ons_happiness=n % 11, ucla_total=3 + n % 7)
    assert count() == small
    assert small <= 40
