"""Every permission rule for events, in one place.

`access_*` functions fetch an event only if the user may see or run it and raise a DomainError otherwise;
`can_*` functions answer yes or no for templates and serializers; `visible_events` is the same rule as a query.

Who sees an event: moderators and staff always; evaluators never (they only see aggregates); for a group-only event
the group's active members; for an "all members" event any active member of Here and Now.
Who organises an event: the group's peer leaders and staff (community.permissions.can_lead_group).
Who sees the exact address and joining link: people going, and organisers.
"""

from __future__ import annotations

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value

from community.errors import Forbidden, NotFound
from community.models import Group, Membership, SiteRole, User
from community.permissions import can_lead_group, is_active_member, is_moderator_or_staff, is_site_staff
from events.models import Event, EventVisibility, RsvpStatus


def _is_active_person(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_see_event(user: User, event: Event) -> bool:
    if not _is_active_person(user) or user.site_role == SiteRole.EVALUATOR:
        return False
    if is_moderator_or_staff(user):
        return True
    if event.visibility == EventVisibility.ALL_MEMBERS:
        return True
    return is_active_member(user, event.group)


def visible_events(user: User) -> QuerySet[Event]:
    """The events `user` may see, as a query: the same rule as can_see_event, for lists."""
    if not _is_active_person(user) or user.site_role == SiteRole.EVALUATOR:
        return Event.objects.none()
    if is_moderator_or_staff(user):
        return Event.objects.all()
    my_groups = Membership.objects.active().filter(user=user).values("group")
    return Event.objects.filter(Q(visibility=EventVisibility.ALL_MEMBERS) | Q(group__in=my_groups))


def event_not_found() -> NotFound:
    return NotFound("We couldn't find that event. It may be for a group you're not in.", code="event_not_found")


def access_event(*, user: User, event_id: int, lock: bool = False) -> Event:
    """The event, if `user` may see it; otherwise `event_not_found` (we never say whether it exists)."""
    queryset = Event.objects.select_for_update() if lock else Event.objects.select_related("group", "series")
    event = queryset.filter(pk=event_id).first()
    if event is None or not can_see_event(user, event):
        raise event_not_found()
    return event


def can_organise_event(user: User, event: Event) -> bool:
    """The group's peer leaders and staff organise its events."""
    return _is_active_person(user) and can_lead_group(user, event.group)


def organised_by(user: User) -> Exists | Value:
    """can_organise_event as a query expression, for lists: true on the events `user` organises (the group's active
    peer leaders, and staff)."""
    if not _is_active_person(user):
        return Value(False, output_field=BooleanField())
    if is_site_staff(user):
        return Value(True, output_field=BooleanField())
    return Exists(Membership.objects.leaders().filter(user_id=user.pk, group_id=OuterRef("group_id")))


def can_create_event_in(user: User, group: Group) -> bool:
    """The same people who organise a group's events create them: its peer leaders and staff."""
    return _is_active_person(user) and can_lead_group(user, group)


def not_an_organiser() -> Forbidden:
    return Forbidden("Only the organisers of this event can do that.", code="not_an_organiser")


def require_organiser(user: User, event: Event) -> None:
    """For services handed an event: refuse anyone who does not organise it (a leader of another group included)."""
    if not can_organise_event(user, event):
        raise not_an_organiser()


def access_event_as_organiser(*, user: User, event_id: int, lock: bool = False) -> Event:
    """The event, if `user` organises it. Invisible: `event_not_found`; visible but not theirs: `not_an_organiser`."""
    event = access_event(user=user, event_id=event_id, lock=lock)
    require_organiser(user, event)
    return event


def can_see_private_details(user: User, event: Event, *, rsvp_status: str | None = None) -> bool:
    """The exact address and the joining link: only for people going, and organisers.

    Pass `rsvp_status` when you already know it (a selector annotates it) to save a query.
    """
    if not _is_active_person(user):
        return False
    if can_organise_event(user, event):
        return True
    if rsvp_status is None:
        rsvp_status = event.rsvps.filter(user=user).values_list("status", flat=True).first()
    return rsvp_status == RsvpStatus.GOING and can_see_event(user, event)


def listed_event_shows_private_details(*, is_organiser: bool, rsvp_status: str | None) -> bool:
    """can_see_private_details for one row of visible_events(user) annotated with organised_by(user): the user can
    see every such event, so it comes down to organisers, and people going."""
    return is_organiser or rsvp_status == RsvpStatus.GOING


def can_rsvp(user: User, event: Event) -> bool:
    """Whether to offer RSVP buttons: anyone who can see the event, except evaluators (who cannot see it anyway)."""
    return can_see_event(user, event)


# --- Ideas from members (co-design) and calendar feeds ------------------------------------------------------------
# Added by the ideas/calendar area. Ideas live inside a group: its active members see, propose, back and talk about
# them; its peer leaders and staff answer them, close them and turn them into events; moderators can read them.
# A calendar feed's secret link works only while its owner is active (and still in the group, for a group feed).

from community.permissions import access_group, can_see_group  # noqa: E402
from events.models import CalendarToken, CalendarTokenKind, Idea, IdeaComment  # noqa: E402


def can_see_ideas(user: User, group: Group) -> bool:
    if not user.is_authenticated or not user.is_active or user.site_role == SiteRole.EVALUATOR:
        return False
    return is_moderator_or_staff(user) or is_active_member(user, group)


def access_group_ideas(*, user: User, slug: str) -> Group:
    group = access_group(user=user, slug=slug)
    if not can_see_ideas(user, group):
        raise Forbidden("Ideas are shared inside the group. Join it to see them and add your own.", code="not_a_member")
    return group


def can_see_idea(user: User, idea: Idea) -> bool:
    return can_see_group(user, idea.group) and can_see_ideas(user, idea.group)


def access_idea(*, user: User, idea_id: int, queryset: QuerySet[Idea] | None = None) -> Idea:
    """The idea if `user` may see it (its group is visible to them and they may see its ideas), else idea_not_found."""
    ideas = queryset if queryset is not None else Idea.objects.select_related("group", "proposed_by", "event")
    idea = ideas.filter(pk=idea_id).first()
    if idea is None or not can_see_idea(user, idea):
        raise NotFound("We couldn't find that idea.", code="idea_not_found")
    return idea


def can_propose_idea(user: User, group: Group) -> bool:
    return bool(user.is_authenticated and user.is_active) and is_active_member(user, group)


def can_back_idea(user: User, idea: Idea) -> bool:
    """Members back other people's ideas. (Backing your own is refused by the service with `own_idea`.)"""
    return bool(user.is_authenticated and user.is_active) and is_active_member(user, idea.group)


def can_comment_on_idea(user: User, idea: Idea) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return is_active_member(user, idea.group) or can_lead_group(user, idea.group)


def can_answer_idea(user: User, idea: Idea) -> bool:
    return can_lead_group(user, idea.group)


def can_close_idea(user: User, idea: Idea) -> bool:
    """Leaders and staff close ideas; the person who proposed one may also withdraw it."""
    if can_lead_group(user, idea.group):
        return True
    return bool(user.is_authenticated and idea.proposed_by_id == user.pk and is_active_member(user, idea.group))


def can_turn_idea_into_event(user: User, idea: Idea) -> bool:
    return can_lead_group(user, idea.group)


def can_delete_idea_comment(user: User, comment: IdeaComment) -> bool:
    """Authors remove their own comments; the group's leaders, moderators and staff remove any."""
    if not user.is_authenticated or not user.is_active:
        return False
    if comment.author_id == user.pk or is_moderator_or_staff(user):
        return True
    return can_lead_group(user, comment.idea.group)


def can_have_group_calendar(user: User, group: Group) -> bool:
    """A group's calendar feed is for its active members."""
    return bool(user.is_authenticated and user.is_active) and is_active_member(user, group)


def feed_shows_private_details(*, rsvp_status: str | None) -> bool:
    """In a calendar feed (read by a calendar app, not a person logged in), the exact address and the joining link
    appear only when the feed's owner is going."""
    return rsvp_status == RsvpStatus.GOING


def access_calendar_feed(*, token: str) -> CalendarToken:
    """The feed behind a secret link, only while its owner is active (and, for a group feed, still a member)."""
    found = CalendarToken.objects.select_related("user", "group").filter(token=token).first() if token else None
    if found is None or not found.user.is_active:
        raise NotFound("We couldn't find that calendar. The link may have been reset.", code="calendar_not_found")
    if found.kind == CalendarTokenKind.GROUP and not is_active_member(found.user, found.group):
        raise NotFound("We couldn't find that calendar. The link may have been reset.", code="calendar_not_found")
    return found
