"""A null character (%00) in a web address or a page's form is refused kindly with 400 `invalid_characters`: PostgreSQL
can't store or search for one, so without this a search or note carrying one was a server error there."""

from __future__ import annotations

import html

import pytest

from community.models import Goal


@pytest.mark.parametrize("query", [{"search": "a\x00b"}, {"mine": "\x00"}, {"a\x00": "1"}])
def test_an_api_search_with_a_null_character_gets_a_json_400(api_as, member, query):
    response = api_as(member).get("/api/v1/groups/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "invalid_characters"


def test_a_page_address_with_a_null_character_gets_a_kind_400_page(client, member):
    client.force_login(member)
    response = client.get("/groups/", {"search": "club\x00"})
    assert response.status_code == 400
    assert "a character in it we can't read" in html.unescape(response.content.decode())


def test_a_page_form_with_a_null_character_changes_nothing(client, member):
    client.force_login(member)
    response = client.post("/me/destination/goal-add/", {"area": "job", "title": "Find a\x00 job"})
    assert response.status_code == 400
    assert not Goal.objects.filter(user=member).exists()
    client.post("/me/destination/goal-add/", {"area": "job", "title": "Find a job"})
    assert Goal.objects.get(user=member).title == "Find a job"


def test_ordinary_unicode_is_untouched(api_as, member):
    response = api_as(member).get("/api/v1/groups/", {"search": "café ☕ 💜"})
    assert response.status_code == 200
