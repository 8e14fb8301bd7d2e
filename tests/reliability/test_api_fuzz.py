"""API fuzzing: schemathesis generates requests from our own OpenAPI schema (as /api/schema/ serves it) for every
operation, sent as each role in turn (anonymous, a member of another group, a group member going to an event, the
group's peer leader, a moderator, staff, an evaluator) to the app in-process. No request may get a server error
(5xx), and every answer must match the schema: a documented status code, content type and body.

Each example runs in a savepoint rolled back afterwards, so the destructive operations (delete account, sign out,
password change, role change, cancelling events...) leave the world as it was (tests/reliability/fuzz_api.py).

The short run in `make test` sends the same generated requests every time (hypothesis derandomized), so CI can't be
failed by an example it happened to draw that day; the long run (`make reliability`) draws new ones each time and is
where new problems are found. Below the fuzzing: one test kept for each problem the fuzzing found.
"""

from __future__ import annotations

import time

import pytest
from rest_framework.authtoken.models import Token
from schemathesis.generation import GenerationMode

from tests.reliability.figures import figures_record
from tests.reliability.fuzz_api import ROLES, build_world, fuzz_all, load_schema


@pytest.fixture
def world(make_user, make_group, add_member):
    return build_world(make_user=make_user, make_group=make_group, add_member=add_member)


def problems(tally) -> str:
    lines = [f"5xx {role} {label} {status}: {body}" for role, label, status, body in tally.server_errors[:20]]
    seen = set()
    for role, label, status, what, body in tally.mismatches:
        key = (label, status, what.split(":")[0])
        if key not in seen:
            seen.add(key)
            lines.append(f"mismatch {role} {label} {status}: {what[:300]} | {body[:150]}")
    return "\n".join(lines[:40])


@pytest.mark.django_db
def test_every_operation_as_every_role_gets_no_server_error_and_matches_the_schema(world):
    schema = load_schema()
    operations = len(list(schema.get_all_operations()))

    tally = fuzz_all(schema=schema, world=world, examples=2)

    assert tally.server_errors == [] and tally.mismatches == [], problems(tally)
    assert {role: len(labels) for role, labels in tally.operations.items()} == dict.fromkeys(ROLES, operations)
    assert tally.statuses[200] > 0 and tally.statuses[401] > 0 and tally.statuses[403] > 0


@pytest.mark.long
@pytest.mark.django_db
def test_long_api_fuzz(world):
    schema = load_schema()
    operations = len(list(schema.get_all_operations()))
    started = time.monotonic()

    tally = fuzz_all(
        schema=schema, world=world, examples=25, modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
        fresh_each_run=True,
    )  # fmt: skip

    minutes = (time.monotonic() - started) / 60
    statuses = ", ".join(f"{code}: {count:,}" for code, count in sorted(tally.statuses.items()))
    figures_record(
        area="api_fuzz",
        title="API fuzzing (schemathesis against our own OpenAPI schema)",
        rows=[
            ("operations in the schema", f"{operations}"),
            ("roles tried", f"{len(ROLES)} ({', '.join(ROLES)})"),
            *[(f"operations exercised as {role}", f"{len(tally.operations.get(role, ()))}") for role in ROLES],
            ("requests sent", f"{sum(tally.requests.values()):,}"),
            ("answers by status code", statuses),
            ("server errors (5xx)", f"{len(tally.server_errors)}"),
            ("answers not matching the schema", f"{len(tally.mismatches)}"),
            ("time taken", f"{minutes:.1f} minutes"),
        ],
        notes="Up to 25 generated requests per operation per role, valid and deliberately invalid (schemathesis "
        "positive and negative modes), half of the ids and slugs taken from a small real world (a group with "
        "events, a chat, ideas, an invitation). Every request runs in a savepoint rolled back afterwards, so "
        "deleting the account, signing out or changing a password doesn't spoil the next one. Checked: no 5xx, "
        "status code documented, content type documented, body matching the documented schema.",
    )
    assert tally.server_errors == [] and tally.mismatches == [], problems(tally)
    assert {role: len(labels) for role, labels in tally.operations.items()} == dict.fromkeys(ROLES, operations)


# --- what the fuzzing found -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_url_under_api_that_matches_no_route_is_answered_with_the_json_error_body(client):
    for url in ("/api/v1/groups/not a slug/", "/api/v1/safeguarding/phrases/x/", "/api/v1/nothing-here/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_found"
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_refusals_from_file_downloads_are_labelled_json_even_when_the_client_asked_for_the_file(api_client):
    downloads = [("/api/v1/events/1/attendees.csv", "text/csv"), ("/api/v1/me/exports/1/download/", "application/zip")]
    for url, accept in downloads:
        response = api_client.get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_event_times_in_a_far_off_year_are_refused(world, api_client):
    leader = world.users["leader"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=leader).key}")
    event_id = world.ids["event_id"][1]

    far_off = {"rsvp_closes_at": "0504-02-01T05:56:28Z"}
    response = api_client.patch(f"/api/v1/events/{event_id}/", far_off, format="json")

    # Year 504 was stored, then written back in London's 1840s-and-before local mean time, "-00:01:15": not ISO 8601.
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_datetime"


@pytest.mark.django_db
@pytest.mark.parametrize(("group", "status"), [("²", 400), ("٣", 200)])
def test_a_group_filter_in_other_scripts_digits_is_answered_not_crashed_on(world, api_client, group, status):
    staff = world.users["staff"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=staff).key}")

    response = api_client.get("/api/v1/invitations/", {"group": group})

    # "²".isdigit() is true but int("²") fails; Arabic-Indic "٣" is a real 3, so it filters (to nothing here).
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"


def test_the_schema_documents_what_the_api_actually_sends():
    document = load_schema().raw_schema
    paths = document["paths"]
    # Lists paginated by hand are documented as pages, with 404 for a page past the end.
    for path in ("/api/v1/rooms/", "/api/v1/me/blocks/", "/api/v1/events/", "/api/v1/moderation/audit/"):
        ok = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok["$ref"].startswith("#/components/schemas/Paginated"), path
        assert "404" in paths[path]["get"]["responses"], path
    # Errors any operation can give are listed: not signed in, the policy gate, a bad query, the database away.
    assert {"401", "403", "400", "503"} <= set(paths["/api/v1/moderation/audit/"]["get"]["responses"])
    assert all("503" in operation["responses"] for path in paths.values() for operation in path.values())
    # A body sent with a Content-Type the operation doesn't read (the long run sent an empty one).
    assert "415" in paths["/api/v1/me/destination/"]["put"]["responses"]
    schemas = document["components"]["schemas"]
    assert schemas["Dashboard"]["properties"]["meaningful_change"]["type"] == "number"
    assert schemas["PreferencesOutput"]["properties"]["quiet_hours_end"]["pattern"] == r"^\d{2}:\d{2}$"
    lonely = schemas["CheckInOutput"]["properties"]["lonely_direct"]
    assert "" in str(lonely) or any("Blank" in str(option) for option in lonely.get("oneOf", [])), lonely
