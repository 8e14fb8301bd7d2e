"""Reads about member ideas, shared by the pages and the API. No writes; query counts are tested."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from community.errors import InvalidInput, NotFound
from community.models import Group, User
from events import permissions
from events.models import Idea, IdeaBacking, IdeaComment, IdeaStatus

IDEA_STATES = {
    "open": (IdeaStatus.OPEN, IdeaStatus.ANSWERED),
    "past": (IdeaStatus.CLOSED, IdeaStatus.TURNED_INTO_EVENT),
    "all": tuple(IdeaStatus.values),
}


def _count_of(model, **filters) -> Coalesce:
    counts = model.objects.filter(**filters).order_by().values("idea").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def ideas_annotated(*, user: User) -> QuerySet[Idea]:
    """Ideas with backing_count, comment_count and my_backing (whether `user` backs it), and the people named."""
    return Idea.objects.select_related("group", "proposed_by", "answered_by", "closed_by", "event").annotate(
        backing_count=_count_of(IdeaBacking, idea=OuterRef("pk")),
        comment_count=_count_of(IdeaComment, idea=OuterRef("pk")),
        my_backing=Exists(IdeaBacking.objects.filter(idea=OuterRef("pk"), user_id=user.pk)),
    )


def ideas_for_group(*, user: User, group: Group, state: str = "open") -> QuerySet[Idea]:
    """A group's ideas, most backed first (then newest). `state` is "open" (default), "past" or "all".

    The caller has checked that `user` may see the group's ideas (permissions.access_group_ideas).
    """
    if state not in IDEA_STATES:
        raise InvalidInput('Choose "open", "past" or "all" ideas.', code="invalid_state")
    return (
        ideas_annotated(user=user)
        .filter(group=group, status__in=IDEA_STATES[state])
        .order_by("-backing_count", "-created_at", "-id")
    )


def idea_detail(*, user: User, idea_id: int) -> Idea:
    """One idea with its counts, if `user` may see it; otherwise idea_not_found."""
    return permissions.access_idea(user=user, idea_id=idea_id, queryset=ideas_annotated(user=user))


def idea_comments(*, idea: Idea) -> QuerySet[IdeaComment]:
    """An idea's comments, oldest first, with their authors (and the idea and group, for permission checks)."""
    return IdeaComment.objects.filter(idea=idea).select_related("author", "idea__group").order_by("created_at", "id")


def idea_comment_for(*, user: User, idea: Idea, comment_id: int) -> IdeaComment:
    """One comment on an idea `user` can already see; comment_not_found otherwise."""
    comment = IdeaComment.objects.select_related("idea__group", "author").filter(pk=comment_id, idea=idea).first()
    if comment is None:
        raise NotFound("We couldn't find that comment. It may have been removed.", code="comment_not_found")
    return comment
