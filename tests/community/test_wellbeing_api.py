"""The wellbeing REST API: my check-ins, my consent, my invitation setting."""

import pytest

from community import scoring
from community.models import EvaluationConsent, WellbeingCheckIn
from community.services.wellbeing import checkin_record

pytestmark = pytest.mark.django_db

CHECKINS = "/api/v1/me/checkins/"


def test_recording_a_check_in_returns_it_with_the_published_score(api_as, member):
    body = {f"swemwbs_{n}": 5 for n in range(1, 8)} | {"ucla_companionship": 1, "lonely_direct": "never"}
    response = api_as(member).post(CHECKINS, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["swemwbs_metric"] == str(scoring.swemwbs_metric(35))
    assert data["ucla_total"] is None
    assert data["lonely_direct"] == "never" and data["ons_happiness"] is None
    assert "swemwbs_raw" not in data  # analyse metric scores, never raw ones


@pytest.mark.parametrize(
    ("body", "code"),
    [({}, "empty_checkin"), ({"ons_anxiety": 11}, "answer_out_of_range"), ({"mood": 3}, "unknown_question"),
     ({"lonely_direct": ["never"]}, "answer_out_of_range"), ([1, 2], "invalid")],
)  # fmt: skip
def test_a_bad_check_in_gets_a_stable_code_and_saves_nothing(api_as, member, body, code):
    response = api_as(member).post(CHECKINS, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not WellbeingCheckIn.objects.exists()


def test_the_list_shows_only_my_check_ins_newest_first(api_as, member, make_user):
    first = checkin_record(actor=member, answers={"ons_happiness": 3})
    second = checkin_record(actor=member, answers={"ons_happiness": 4})
    checkin_record(actor=make_user(), answers={"ons_happiness": 9})
    results = api_as(member).get(CHECKINS).json()["results"]
    assert [row["id"] for row in results] == [second.pk, first.pk]


def test_deleting_my_check_in_removes_it_and_someone_else_cannot(api_as, member, make_user):
    mine = checkin_record(actor=member, answers={"ons_happiness": 3})
    other = make_user()
    assert api_as(other).delete(f"{CHECKINS}{mine.pk}/").json()["code"] == "checkin_not_found"
    assert api_as(member).delete(f"{CHECKINS}{mine.pk}/").status_code == 204
    assert api_as(member).get(f"{CHECKINS}{mine.pk}/").status_code == 404


def test_consent_defaults_to_no_and_changes_from_now_on(api_as, member):
    client = api_as(member)
    assert client.get("/api/v1/me/consent/").json() == {"consents": False, "recorded_at": None}
    answer = client.put("/api/v1/me/consent/", {"consents": True}, format="json").json()
    assert answer["consents"] is True and answer["recorded_at"]
    assert client.put("/api/v1/me/consent/", {}, format="json").json()["code"] == "invalid"
    assert EvaluationConsent.objects.filter(user=member).count() == 1


def test_invitations_switch_off_and_on(api_as, member):
    client = api_as(member)
    assert client.get("/api/v1/me/wellbeing-settings/").json() == {"invitations_on": True, "last_invited_at": None}
    off = client.patch("/api/v1/me/wellbeing-settings/", {"invitations_on": False}, format="json").json()
    assert off["invitations_on"] is False
    unchanged = client.patch("/api/v1/me/wellbeing-settings/", {}, format="json").json()
    assert unchanged["invitations_on"] is False


def test_listing_check_ins_takes_the_same_queries_however_many_there_are(api_as, member, client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community.services import wellbeing

    monkeypatch.setattr(wellbeing, "CHECKINS_PER_DAY", 100)
    client.force_login(member)

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as api:
            assert api_as(member).get(CHECKINS).status_code == 200
        with CaptureQueriesContext(connection) as page:
            assert client.get("/me/wellbeing/check-ins/").status_code == 200
        return len(api), len(page)

    checkin_record(actor=member, answers={"ons_happiness": 3})
    counts()  # the policy gate remembers the member's yes after their first request
    few = counts()
    for value in range(8):
        checkin_record(actor=member, answers={"ons_happiness": value, "ucla_isolated": 2})
    assert counts() == few
