"""ADAPTER: the real endpoints the benchmark measures, in one place.

They are the events REST API in events/api_events.py (mounted under /api/v1/ by config/urls.py). If a path changes
there, change it here; `check()` fails the run loudly if one no longer resolves, rather than measuring something else.
"""

from __future__ import annotations

from django.urls import Resolver404, resolve

EVENTS_LIST = "/api/v1/events/?page_size={page_size}"
ATTENDEES = "/api/v1/events/{event_id}/attendees/"
RSVP = "/api/v1/events/{event_id}/rsvp/"  # POST: "I'm going"; answers 200 with the event as you now see it


def events_list(page_size: int) -> str:
    return EVENTS_LIST.format(page_size=page_size)


def attendees(event_id: int) -> str:
    return ATTENDEES.format(event_id=event_id)


def rsvp(event_id: int) -> str:
    return RSVP.format(event_id=event_id)


def check() -> None:
    """Raise if any measured path is not served by the real app's URLConf."""
    for url in (events_list(1).split("?")[0], attendees(1), rsvp(1)):
        try:
            resolve(url, urlconf="config.urls")
        except Resolver404:
            raise RuntimeError(f"{url} is not an endpoint of the app any more: update bench/targets.py") from None
