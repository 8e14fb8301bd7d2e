"""Addresses of idea and event pages, for notifications, feeds and the API."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from events.models import Event, Idea

# The events pages are written by another area; these are the names its detail page may use.
_EVENT_DETAIL_NAMES = ("events:event-detail", "events:detail")


def idea_path(idea: Idea) -> str:
    return reverse("events:idea-detail", kwargs={"idea_id": idea.pk})


def group_ideas_path(slug: str) -> str:
    return reverse("events:idea-list", kwargs={"slug": slug})


def event_path(event: Event | int) -> str:
    event_id = event.pk if isinstance(event, Event) else event
    for name in _EVENT_DETAIL_NAMES:
        try:
            return reverse(name, kwargs={"event_id": event_id})
        except NoReverseMatch:
            continue
    return f"/events/{event_id}/"


def absolute(path: str) -> str:
    return settings.HN_SITE_URL.rstrip("/") + path
