"""Template filters for events in plain words: {{ event|when }}, {{ event|places }}, {{ status|rsvp_words }}."""

from django import template
from django.utils import timezone

from events import wording

register = template.Library()


@register.filter
def when(event) -> str:
    return wording.when_in_words(event.starts_at, event.ends_at)


@register.filter
def places(event) -> str:
    return wording.places_words(event)


@register.filter
def rsvp_words(status) -> str:
    return wording.rsvp_status_words(status)


@register.filter
def clock(moment) -> str:
    return wording.clock(timezone.localtime(moment))
