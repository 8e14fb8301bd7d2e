"""Writes for member ideas (co-design): propose, back, talk about, answer, close and turn into an event.

Any active member of a group proposes an idea and others back it (one backing each, withdrawable). The group's peer
leaders and staff answer ideas, close them with a reason, or turn one into an event; everyone who backed it is told.
Leaders' decisions are written to the audit log.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from community import permissions as community_permissions
from community.errors import Conflict, Forbidden, InvalidInput, NotFound
from community.models import Group, User
from community.notification_kinds import register_kind
from community.ratelimit import rate_limit_hit
from community.services.audit import audit_record
from community.services.notifications import notify_many
from events import permissions
from events.ideas.links import event_path, idea_path
from events.models import Event, Idea, IdeaBacking, IdeaComment, IdeaStatus

register_kind("idea_answered", "A peer leader answers or closes an idea you proposed or backed")
register_kind("idea_became_event", "An idea you proposed or backed becomes an event", email_by_default=True)

TITLE_MAX = 120
WHY_MAX = 2000
WHEN_MAX = 120
COMMENT_MAX = 1000
ANSWER_MAX = 2000
REASON_MAX = 1000
IDEAS_PER_DAY = 10
COMMENTS_PER_10_MINUTES = 20


# --- helpers ---------------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    return (value or "").strip()


def _require_length(*, field: str, value: str, limit: int, code: str, what: str) -> None:
    if len(value) > limit:
        raise InvalidInput(
            f"{what} can be up to {limit} characters. Please make it a little shorter.",
            code=code,
            fields={field: [f"Up to {limit} characters, please."]},
        )


def _lock_idea(idea: Idea | int) -> Idea:
    idea_id = idea.pk if isinstance(idea, Idea) else idea
    locked = Idea.objects.select_for_update(of=("self",)).select_related("group").filter(pk=idea_id).first()
    if locked is None:
        raise NotFound("We couldn't find that idea.", code="idea_not_found")
    return locked


def _require_visible(actor: User, idea: Idea) -> None:
    if not permissions.can_see_idea(actor, idea):
        raise NotFound("We couldn't find that idea.", code="idea_not_found")


def _require_still_open(idea: Idea) -> None:
    if idea.status == IdeaStatus.TURNED_INTO_EVENT:
        raise Conflict("This idea is already an event, so have a look at the event instead.", code="idea_already_event")
    if idea.status == IdeaStatus.CLOSED:
        raise Conflict("This idea is closed now, so it can't be changed.", code="idea_closed")


def _not_a_member() -> Forbidden:
    return Forbidden("Only people in this group can do that. Join the group first.", code="not_a_member")


def _not_a_leader() -> Forbidden:
    return Forbidden("Only this group's peer leaders and staff can do that.", code="not_a_leader")


def _people_to_tell(*, idea: Idea, actor: User) -> list[User]:
    """The person who proposed the idea and everyone backing it, except whoever is acting now."""
    people = {backing.user.pk: backing.user for backing in idea.backings.select_related("user")}
    if idea.proposed_by is not None:
        people.setdefault(idea.proposed_by.pk, idea.proposed_by)
    people.pop(actor.pk, None)
    return [person for person in people.values() if person.is_active]


# --- members ---------------------------------------------------------------------------------------


def idea_propose(*, actor: User, group: Group, title: str, why: str = "", rough_when: str = "") -> Idea:
    """Share an idea for something the group could do. Only active members of the group can."""
    if not community_permissions.can_see_group(actor, group):
        raise NotFound("We couldn't find that group.", code="group_not_found")
    if not permissions.can_propose_idea(actor, group):
        raise _not_a_member()
    if group.is_archived:
        raise Forbidden("This group is closed now, so it can't take new ideas.", code="group_archived")
    title, why, rough_when = _text(title), _text(why), _text(rough_when)
    if not title:
        raise InvalidInput(
            "Please say what your idea is, in a few words.",
            code="title_required",
            fields={"title": ["Please say what your idea is."]},
        )
    _require_length(field="title", value=title, limit=TITLE_MAX, code="title_too_long", what="What the idea is")
    _require_length(field="why", value=why, limit=WHY_MAX, code="why_too_long", what="Why")
    _require_length(field="rough_when", value=rough_when, limit=WHEN_MAX, code="when_too_long", what="Roughly when")
    rate_limit_hit(
        key=f"idea-propose:{actor.pk}",
        limit=IDEAS_PER_DAY,
        window_seconds=24 * 3600,
        detail="You've shared lots of ideas today, thank you! Please wait until tomorrow to add more.",
    )
    with transaction.atomic():
        return Idea.objects.create(group=group, proposed_by=actor, title=title, why=why, rough_when=rough_when)


def idea_back(*, actor: User, idea: Idea) -> IdeaBacking:
    """Say "I'd come to that". Backing an idea twice changes nothing."""
    _require_visible(actor, idea)
    if not permissions.can_back_idea(actor, idea):
        raise _not_a_member()
    with transaction.atomic():
        locked = _lock_idea(idea)
        if locked.proposed_by_id == actor.pk:
            raise InvalidInput("This is your own idea, so you're already behind it!", code="own_idea")
        existing = IdeaBacking.objects.filter(idea=locked, user=actor).first()
        if existing is not None:
            return existing
        _require_still_open(locked)
        try:
            with transaction.atomic():
                return IdeaBacking.objects.create(idea=locked, user=actor)
        except IntegrityError:  # a second tab backed it a moment ago
            return IdeaBacking.objects.get(idea=locked, user=actor)


def idea_unback(*, actor: User, idea: Idea) -> bool:
    """Take back your backing. Returns True if there was one; doing it twice changes nothing."""
    _require_visible(actor, idea)
    with transaction.atomic():
        locked = _lock_idea(idea)
        deleted, _ = IdeaBacking.objects.filter(idea=locked, user=actor).delete()
    return deleted > 0


def idea_comment(*, actor: User, idea: Idea, body: str) -> IdeaComment:
    """Add a comment to an idea that is still open."""
    _require_visible(actor, idea)
    if not permissions.can_comment_on_idea(actor, idea):
        raise _not_a_member()
    body = _text(body)
    if not body:
        raise InvalidInput(
            "Please write something before you post.",
            code="comment_required",
            fields={"body": ["Please write something first."]},
        )
    _require_length(field="body", value=body, limit=COMMENT_MAX, code="comment_too_long", what="A comment")
    rate_limit_hit(
        key=f"idea-comment:{actor.pk}",
        limit=COMMENTS_PER_10_MINUTES,
        window_seconds=600,
        detail="That's a lot of comments in a short time. Please take a breather and try again in a few minutes.",
    )
    with transaction.atomic():
        locked = _lock_idea(idea)
        _require_still_open(locked)
        return IdeaComment.objects.create(idea=locked, author=actor, body=body)


def idea_comment_delete(*, actor: User, comment: IdeaComment) -> None:
    """Remove a comment: its author can, and so can the group's leaders, moderators and staff (audited)."""
    _require_visible(actor, comment.idea)
    if not permissions.can_delete_idea_comment(actor, comment):
        raise Forbidden("You can only remove your own comments.", code="not_your_comment")
    with transaction.atomic():
        locked = IdeaComment.objects.select_for_update().filter(pk=comment.pk).first()
        if locked is None:
            return
        if locked.author_id != actor.pk:
            audit_record(
                actor=actor,
                action="idea.comment_removed",
                target=comment.idea,
                group=comment.idea.group,
                data={"comment_id": locked.pk, "author_id": locked.author_id},
            )
        locked.delete()


# --- leaders ---------------------------------------------------------------------------------------


def idea_answer(*, actor: User, idea: Idea, answer: str) -> Idea:
    """A peer leader replies to an idea. Answering again replaces the answer. The proposer and backers are told."""
    _require_visible(actor, idea)
    if not permissions.can_answer_idea(actor, idea):
        raise _not_a_leader()
    answer = _text(answer)
    if not answer:
        raise InvalidInput(
            "Please write an answer before you send it.",
            code="answer_required",
            fields={"answer": ["Please write an answer first."]},
        )
    _require_length(field="answer", value=answer, limit=ANSWER_MAX, code="answer_too_long", what="An answer")
    with transaction.atomic():
        locked = _lock_idea(idea)
        _require_still_open(locked)
        locked.leader_answer = answer
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.status = IdeaStatus.ANSWERED
        locked.save(update_fields=["leader_answer", "answered_by", "answered_at", "status", "updated_at"])
        audit_record(actor=actor, action="idea.answered", target=locked, group=locked.group)
        notify_many(
            users=_people_to_tell(idea=locked, actor=actor),
            kind="idea_answered",
            title=f"A peer leader answered the idea “{locked.title}”",
            body=answer[:300],
            url=idea_path(locked),
        )
    return locked


def idea_close(*, actor: User, idea: Idea, reason: str) -> Idea:
    """Close an idea with a reason (leaders and staff, or the person who proposed it). Backers are told why."""
    _require_visible(actor, idea)
    if not permissions.can_close_idea(actor, idea):
        raise _not_a_leader()
    reason = _text(reason)
    if not reason:
        raise InvalidInput(
            "Please give a short reason, so people know why the idea is closing.",
            code="reason_required",
            fields={"reason": ["Please give a short reason."]},
        )
    _require_length(field="reason", value=reason, limit=REASON_MAX, code="reason_too_long", what="The reason")
    with transaction.atomic():
        locked = _lock_idea(idea)
        _require_still_open(locked)
        locked.status = IdeaStatus.CLOSED
        locked.closed_reason = reason
        locked.closed_by = actor
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_reason", "closed_by", "closed_at", "updated_at"])
        audit_record(actor=actor, action="idea.closed", target=locked, group=locked.group, data={"reason": reason})
        notify_many(
            users=_people_to_tell(idea=locked, actor=actor),
            kind="idea_answered",
            title=f"The idea “{locked.title}” is closed",
            body=reason[:300],
            url=idea_path(locked),
        )
    return locked


def idea_to_event(*, actor: User, idea: Idea, **event_fields) -> Event:
    """Turn an idea into an event in one step, through the events service. Everyone who backed it is told.

    `event_fields` are passed to `events.services.events.event_create` (title, description, category, starts_at,
    ends_at, ...). If that refuses, nothing changes.
    """
    from events.services.events import event_create  # the events domain service; imported late to avoid a cycle

    _require_visible(actor, idea)
    if not permissions.can_turn_idea_into_event(actor, idea):
        raise _not_a_leader()
    with transaction.atomic():
        locked = _lock_idea(idea)
        _require_still_open(locked)
        event = event_create(actor=actor, group=locked.group, **event_fields)
        locked.event = event
        locked.status = IdeaStatus.TURNED_INTO_EVENT
        locked.save(update_fields=["event", "status", "updated_at"])
        audit_record(
            actor=actor, action="idea.turned_into_event", target=locked, group=locked.group, data={"event_id": event.pk}
        )
        notify_many(
            users=_people_to_tell(idea=locked, actor=actor),
            kind="idea_became_event",
            title=f"“{locked.title}” is happening!",
            body="An idea you shared or backed is now an event. Have a look, and say if you're going.",
            url=event_path(event),
        )
    return event
