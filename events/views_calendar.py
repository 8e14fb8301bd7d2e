"""Calendar pages: download one event, the secret feed addresses, and the page to make or reset them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from community import permissions as community_permissions
from community.errors import DomainError
from community.ratelimit import rate_limit_hit
from events import permissions
from events.calendar_feeds import calendar_links_for, event_calendar, feed_for_token
from events.services.calendar_tokens import calendar_token_issue, calendar_token_reset, calendar_token_revoke

CALENDAR_TYPE = "text/calendar; charset=utf-8"
FEED_FETCHES_PER_HOUR = 120

ACTIONS = {
    "make": (calendar_token_issue, "Your calendar link is ready. Copy it into your calendar app."),
    "reset": (
        calendar_token_reset,
        "You have a new link. The old one has stopped working, so update your calendar app.",
    ),
    "stop": (calendar_token_revoke, "The link is switched off. Nobody can use it now."),
}


def _calendar_response(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_safe
def event_ics(request, event_id: int):
    event = permissions.access_event(user=request.user, event_id=event_id)
    return _calendar_response(event_calendar(event=event, viewer=request.user), filename=f"event-{event.pk}.ics")


@require_safe
def calendar_feed(request, token: str):
    """No login: calendar apps can't log in, so the secret token in the address is the key."""
    feed_token = permissions.access_calendar_feed(token=token)
    rate_limit_hit(
        key=f"calendar-feed:{feed_token.pk}",
        limit=FEED_FETCHES_PER_HOUR,
        window_seconds=3600,
        detail="This calendar is being checked very often. Please try again later.",
    )
    return _calendar_response(feed_for_token(feed_token), filename="here-and-now.ics")


@login_required
def calendar_links(request):
    return render(request, "events/calendar/links.html", {"links": calendar_links_for(user=request.user)})


def _act(request, action: str, group) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    service, success = ACTIONS[action]
    try:
        service(actor=request.user, group=group)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, success)
    return redirect("events:calendar-links")


@login_required
@require_POST
def calendar_personal_action(request, action: str):
    return _act(request, action, None)


@login_required
@require_POST
def calendar_group_action(request, slug: str, action: str):
    group = community_permissions.access_group(user=request.user, slug=slug)
    return _act(request, action, group)
