"""Idea pages: a group's ideas and the form to share one, an idea with its comments, and the leaders' tools."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community.errors import DomainError, Forbidden
from events import permissions
from events.ideas.forms import (
    IdeaAnswerForm,
    IdeaCloseForm,
    IdeaCommentForm,
    IdeaProposeForm,
    IdeaToEventForm,
    add_domain_error,
)
from events.ideas.links import event_path
from events.selectors_ideas import IDEA_STATES, idea_comment_for, idea_comments, idea_detail, ideas_for_group
from events.services.ideas import (
    idea_answer,
    idea_back,
    idea_close,
    idea_comment,
    idea_comment_delete,
    idea_propose,
    idea_to_event,
    idea_unback,
)

STATE_TABS = [("open", "Open ideas"), ("past", "Past ideas")]


@login_required
def idea_list(request, slug: str):
    group = permissions.access_group_ideas(user=request.user, slug=slug)
    can_propose = permissions.can_propose_idea(request.user, group) and not group.is_archived
    form = IdeaProposeForm()
    if request.method == "POST" and can_propose:
        form = IdeaProposeForm(request.POST)
        if form.is_valid():
            try:
                idea = idea_propose(actor=request.user, group=group, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Thanks for sharing your idea! People in the group can back it now.")
                return redirect("events:idea-detail", idea_id=idea.pk)

    state = request.GET.get("state", "open")
    if state not in IDEA_STATES:
        state = "open"
    page = Paginator(ideas_for_group(user=request.user, group=group, state=state), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "events/ideas/list.html",
        {
            "group": group,
            "form": form,
            "can_propose": can_propose,
            "state": state,
            "tabs": STATE_TABS,
            "page": page,
            "ideas": page.object_list,
        },
    )


def _render_detail(request, idea, *, status: int = 200, **forms):
    user = request.user
    still_open = idea.is_still_open
    can_comment = still_open and permissions.can_comment_on_idea(user, idea)
    can_answer = still_open and permissions.can_answer_idea(user, idea)
    comments = list(idea_comments(idea=idea))
    context = {
        "idea": idea,
        "group": idea.group,
        "comments": [
            {"comment": comment, "can_delete": permissions.can_delete_idea_comment(user, comment)}
            for comment in comments
        ],
        "is_mine": idea.proposed_by_id == user.pk,
        "can_back": still_open and permissions.can_back_idea(user, idea) and idea.proposed_by_id != user.pk,
        "can_comment": can_comment,
        "can_answer": can_answer,
        "can_close": still_open and permissions.can_close_idea(user, idea),
        "can_turn_into_event": still_open and permissions.can_turn_idea_into_event(user, idea),
        "event_url": event_path(idea.event_id) if idea.event_id else "",
        "comment_form": forms.get("comment_form") or IdeaCommentForm(),
        "answer_form": forms.get("answer_form") or IdeaAnswerForm(initial={"answer": idea.leader_answer}),
        "close_form": forms.get("close_form") or IdeaCloseForm(),
        # A refusal about the whole action (the idea closed meanwhile, not a leader) shows at the top of the page,
        # since the form it came from may no longer be on it.
        "problems": [problem for form in forms.values() if form is not None for problem in form.non_field_errors()],
    }
    return render(request, "events/ideas/detail.html", context, status=status)


@login_required
def idea_detail_view(request, idea_id: int):
    return _render_detail(request, idea_detail(user=request.user, idea_id=idea_id))


@login_required
@require_POST
def idea_back_view(request, idea_id: int):
    idea = idea_detail(user=request.user, idea_id=idea_id)
    try:
        idea_back(actor=request.user, idea=idea)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "You're backing this idea. The peer leaders can see it's popular.")
    return redirect("events:idea-detail", idea_id=idea.pk)


@login_required
@require_POST
def idea_unback_view(request, idea_id: int):
    idea = idea_detail(user=request.user, idea_id=idea_id)
    try:
        idea_unback(actor=request.user, idea=idea)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "You're not backing this idea any more. You can back it again any time.")
    return redirect("events:idea-detail", idea_id=idea.pk)


def _posted_form(request, idea_id: int, form_class, form_key: str, action, success: str):
    """Shared flow for the forms on the idea page: validate, call the service, redirect or show the problem."""
    idea = idea_detail(user=request.user, idea_id=idea_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(idea=idea, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect("events:idea-detail", idea_id=idea.pk)
    return _render_detail(request, idea, status=400, **{form_key: form})


@login_required
@require_POST
def idea_comment_view(request, idea_id: int):
    return _posted_form(
        request,
        idea_id,
        IdeaCommentForm,
        "comment_form",
        lambda **kwargs: idea_comment(actor=request.user, **kwargs),
        "Your comment is posted.",
    )


@login_required
@require_POST
def idea_answer_view(request, idea_id: int):
    return _posted_form(
        request,
        idea_id,
        IdeaAnswerForm,
        "answer_form",
        lambda **kwargs: idea_answer(actor=request.user, **kwargs),
        "Your answer is saved. Everyone who proposed or backed the idea will see it.",
    )


@login_required
@require_POST
def idea_close_view(request, idea_id: int):
    return _posted_form(
        request,
        idea_id,
        IdeaCloseForm,
        "close_form",
        lambda **kwargs: idea_close(actor=request.user, **kwargs),
        "The idea is closed. People who backed it will see your reason.",
    )


@login_required
@require_POST
def idea_comment_delete_view(request, idea_id: int, comment_id: int):
    idea = idea_detail(user=request.user, idea_id=idea_id)
    comment = idea_comment_for(user=request.user, idea=idea, comment_id=comment_id)
    try:
        idea_comment_delete(actor=request.user, comment=comment)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "The comment is removed.")
    return redirect("events:idea-detail", idea_id=idea.pk)


def _description_from(idea) -> str:
    parts = [idea.why]
    if idea.rough_when:
        parts.append(f"Suggested for: {idea.rough_when}")
    return "\n\n".join(part for part in parts if part)


@login_required
def idea_to_event_view(request, idea_id: int):
    idea = idea_detail(user=request.user, idea_id=idea_id)
    if not permissions.can_turn_idea_into_event(request.user, idea):
        raise Forbidden("Only this group's peer leaders and staff can do that.", code="not_a_leader")
    if request.method == "POST":
        form = IdeaToEventForm(request.POST)
        if form.is_valid():
            try:
                event = idea_to_event(actor=request.user, idea=idea, **form.event_fields())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "The event is made, and everyone who backed the idea has been told.")
                return redirect(event_path(event))
    else:
        form = IdeaToEventForm(initial={"title": idea.title, "description": _description_from(idea)})
    return render(
        request,
        "events/ideas/to_event.html",
        {"idea": idea, "group": idea.group, "form": form, "still_open": idea.is_still_open},
        status=400 if request.method == "POST" else 200,
    )
