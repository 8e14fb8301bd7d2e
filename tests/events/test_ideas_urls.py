"""A URL configuration for the ideas and calendar tests, and checks that the addresses are the documented ones.

config/urls.py does not include the events pages and API yet (the lead wires them), so the tests use this module as
their urlconf: the events pages and the ideas/calendar API added to the project's own patterns.
"""

import pytest
from django.urls import include, path, reverse

import config.urls
from events import api_calendar, api_ideas

urlpatterns = [
    path("api/v1/", include(api_ideas.api_urlpatterns + api_calendar.api_urlpatterns)),
    path("", include("events.urls")),
    *config.urls.urlpatterns,
]

URLCONF = __name__
pytestmark = pytest.mark.urls(URLCONF)


def test_page_addresses():
    assert reverse("events:idea-list", kwargs={"slug": "art-club"}) == "/groups/art-club/ideas/"
    assert reverse("events:idea-detail", kwargs={"idea_id": 7}) == "/ideas/7/"
    assert reverse("events:event-ics", kwargs={"event_id": 3}) == "/events/3/calendar.ics"
    assert reverse("events:calendar-feed", kwargs={"token": "abc-DEF_123"}) == "/calendar/abc-DEF_123.ics"
    assert reverse("events:calendar-links") == "/calendar/"


def test_api_addresses():
    assert reverse("api-group-ideas", kwargs={"slug": "art-club"}) == "/api/v1/groups/art-club/ideas/"
    assert reverse("api-idea-backing", kwargs={"idea_id": 7}) == "/api/v1/ideas/7/backing/"
    assert reverse("api-calendar-links") == "/api/v1/calendar/links/"
    assert reverse("api-calendar-link-group-reset", kwargs={"slug": "a"}) == "/api/v1/groups/a/calendar-link/reset/"
