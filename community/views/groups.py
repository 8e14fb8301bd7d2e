"""Group pages: the list, one group, joining and leaving, editing, and the members page for leaders and staff."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from community import permissions
from community.errors import DomainError, Forbidden, NotFound
from community.models import Group, JoinPolicy, MembershipStatus
from community.selectors.groups import group_detail_for, group_members_for, groups_visible_to, person_for_membership
from community.services.groups import group_create, group_update
from community.services.memberships import MEMBER_ACTIONS, membership_add, membership_join, membership_leave

GROUPS_PER_PAGE = 20
MEMBERS_PER_PAGE = 50

JOIN_POLICY_CHOICES = [
    (JoinPolicy.OPEN, "Open: any member can join straight away"),
    (JoinPolicy.REQUEST, "Ask to join: members ask and a peer leader says yes"),
    (JoinPolicy.INVITE, "Invitation only: a peer leader or staff adds people"),
]


# --- forms -----------------------------------------------------------------------------------------


class _PlainForm(forms.Form):
    """Labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class GroupForm(_PlainForm):
    name = forms.CharField(max_length=80, help_text="A short, friendly name, like “Saturday Walkers”.")
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the group is about and who it's for.",
    )
    join_policy = forms.ChoiceField(
        label="How people join", choices=JOIN_POLICY_CHOICES, initial=JoinPolicy.REQUEST, widget=forms.RadioSelect
    )
    is_listed = forms.BooleanField(
        label="Show this group in the list of groups",
        required=False,
        initial=True,
        help_text="If this is off, only the group's members can see it.",
    )
    is_archived = forms.BooleanField(
        label="Archive this group",
        required=False,
        help_text="An archived group leaves the list. Its members can still look back at it.",
    )

    STAFF_ONLY_FIELDS = ("name", "is_listed", "is_archived")

    def __init__(self, *args, staff: bool = True, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_archived"]
        if not staff:
            for field in self.STAFF_ONLY_FIELDS:
                self.fields.pop(field, None)


class AddPersonForm(_PlainForm):
    display_name = forms.CharField(
        label="Their display name",
        max_length=40,
        help_text="The name they use in Here and Now. Capital letters don't matter.",
    )


# --- helpers ---------------------------------------------------------------------------------------


def _form_error(form: forms.Form, error: DomainError) -> None:
    """Show a refusal next to the field it is about when we know it, otherwise at the top of the form."""
    field = next((name for name in error.fields if name in form.fields), None)
    form.add_error(field, error.detail)


# --- the list and one group ------------------------------------------------------------------------


@login_required
def group_list(request):
    mine = request.GET.get("tab") == "mine"
    search = request.GET.get("q", "").strip()[:80]
    groups = groups_visible_to(user=request.user, search=search, mine=mine)
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/groups/list.html",
        {
            "page": page,
            "mine": mine,
            "search": search,
            "can_create": permissions.can_create_group(request.user),
        },
    )


@login_required
def group_create_view(request):
    if not permissions.can_create_group(request.user):
        raise Forbidden("Only staff can start a new group. A member of staff can help.", code="staff_only")
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{group.name} is ready. You can add peer leaders from the members page.")
            return redirect("community:group-detail", slug=group.slug)
    return render(request, "community/groups/form.html", {"form": form, "group": None})


@login_required
def group_detail(request, slug: str):
    group = group_detail_for(user=request.user, slug=slug)
    user = request.user
    leaders_unnamed = len(group.leader_memberships)
    group.leader_memberships = permissions.leaders_shown_to(user, group, group.leader_memberships)
    leaders_unnamed -= len(group.leader_memberships)
    members_page = None
    if permissions.can_see_members(user, group):
        members = group_members_for(viewer=user, group=group)
        members_page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/groups/detail.html",
        {
            "group": group,
            "members_page": members_page,
            "show_leaders": permissions.can_see_group_leaders(user, group),
            "leaders_unnamed": leaders_unnamed,
            "can_join": permissions.can_join_groups(user),
            "can_edit": permissions.can_edit_group(user, group),
            "can_manage": permissions.can_see_join_requests(user, group),
            "can_see_figures": permissions.can_see_group_figures(user, group),
        },
    )


@login_required
def group_edit(request, slug: str):
    group = permissions.access_group_as_leader(user=request.user, slug=slug)
    staff = permissions.can_change_group_settings(request.user, group)
    initial = {
        "name": group.name,
        "description": group.description,
        "join_policy": group.join_policy,
        "is_listed": group.is_listed,
        "is_archived": group.is_archived,
    }
    form = GroupForm(request.POST or None, initial=initial, staff=staff, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_update(actor=request.user, group=group, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Saved. Thanks for keeping the group up to date.")
            return redirect("community:group-detail", slug=group.slug)
    return render(request, "community/groups/form.html", {"form": form, "group": group})


# --- joining and leaving ---------------------------------------------------------------------------


@login_required
@require_POST
def group_join(request, slug: str):
    group = permissions.access_group(user=request.user, slug=slug)
    try:
        membership = membership_join(actor=request.user, group=group)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        if membership.status == MembershipStatus.ACTIVE:
            messages.success(request, f"Welcome to {group.name}! You're a member now.")
        else:
            messages.success(
                request,
                f"Thanks for asking to join {group.name}. A peer leader will look soon, and we'll let you know.",
            )
    return redirect("community:group-detail", slug=group.slug)


@login_required
def group_leave(request, slug: str):
    group = group_detail_for(user=request.user, slug=slug)
    if request.method == "POST":
        try:
            membership = membership_leave(actor=request.user, group=group)
        except DomainError as error:
            messages.error(request, error.detail)
            return redirect("community:group-detail", slug=group.slug)
        if group.my_status == MembershipStatus.PENDING:
            messages.success(request, f"Done. Your request to join {group.name} is taken back.")
        elif membership is not None and membership.status == MembershipStatus.LEFT:
            messages.success(request, f"You've left {group.name}. Take care.")
        else:
            messages.info(request, f"You weren't in {group.name}, so there was nothing to leave.")
        return redirect("community:group-list")
    return render(request, "community/groups/leave.html", {"group": group})


# --- the members page for leaders and staff --------------------------------------------------------


SUCCESS_TEXT = {
    "approve": "{name} is in the group now. We've let them know.",
    "decline": "Request from {name} declined. We've let them know kindly.",
    "remove": "{name} is no longer in the group.",
    "ban": "{name} can't join this group now.",
    "unban": "The ban on {name} is lifted. They can ask to join again.",
    "promote": "{name} is a peer leader of this group now.",
    "demote": "{name} is no longer a peer leader. They're still a member.",
}

CONFIRM_TEXT = {
    "approve": ("Let {name} join {group}?", "Yes, let them join"),
    "decline": ("Say no to {name}'s request to join {group}?", "Yes, decline"),
    "remove": ("Remove {name} from {group}?", "Yes, remove them"),
    "ban": ("Ban {name} from {group}?", "Yes, ban them"),
    "unban": ("Lift the ban on {name}?", "Yes, lift the ban"),
    "promote": ("Make {name} a peer leader of {group}?", "Yes, make them a peer leader"),
    "demote": ("Stop {name} being a peer leader of {group}?", "Yes, they stop being a peer leader"),
}

CONFIRM_HELP = {
    "remove": "They'll get a short, kind message saying they're no longer in the group. They can come back later.",
    "ban": "They'll be taken out of the group and can't join again until a peer leader or staff lifts the ban.",
}


def _members_context(request, group: Group, add_form: AddPersonForm) -> dict:
    user = request.user
    active = list(group_members_for(viewer=user, group=group))
    for membership in active:
        membership.can_remove = membership.user_id != user.pk and permissions.can_remove_member(user, group, membership)
    return {
        "group": group,
        "pending": group_members_for(viewer=user, group=group, status=MembershipStatus.PENDING),
        "active": active,
        "banned": group_members_for(viewer=user, group=group, status=MembershipStatus.BANNED),
        "can_appoint": permissions.can_appoint_leaders(user, group),
        "add_form": add_form,
    }


@login_required
def group_members(request, slug: str):
    group = permissions.access_group_as_leader(user=request.user, slug=slug)
    add_form = AddPersonForm(request.POST or None)
    if request.method == "POST" and add_form.is_valid():
        try:
            person = person_for_membership(display_name=add_form.cleaned_data["display_name"])
            membership_add(actor=request.user, group=group, user=person)
        except DomainError as error:
            _form_error(add_form, error)
        else:
            messages.success(request, f"{person.display_name} is in {group.name} now. We've let them know.")
            return redirect("community:group-members", slug=group.slug)
    return render(request, "community/groups/members.html", _members_context(request, group, add_form))


@login_required
def group_member_action(request, slug: str, user_id: int, action: str):
    if action not in MEMBER_ACTIONS:
        raise NotFound("We couldn't find that page.", code="not_found")
    group = permissions.access_group_as_leader(user=request.user, slug=slug)
    person = person_for_membership(user_id=user_id)
    if request.method == "POST":
        try:
            MEMBER_ACTIONS[action](actor=request.user, group=group, user=person)
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, SUCCESS_TEXT[action].format(name=person.display_name))
        return redirect("community:group-members", slug=group.slug)
    question, button = CONFIRM_TEXT[action]
    return render(
        request,
        "community/groups/confirm.html",
        {
            "group": group,
            "person": person,
            "action": action,
            "question": question.format(name=person.display_name, group=group.name),
            "button": button,
            "help": CONFIRM_HELP.get(action, ""),
            "danger": action in ("remove", "ban", "decline"),
        },
    )


urlpatterns = [
    path("groups/", group_list, name="group-list"),
    path("groups/new/", group_create_view, name="group-create"),
    path("groups/<slug:slug>/", group_detail, name="group-detail"),
    path("groups/<slug:slug>/edit/", group_edit, name="group-edit"),
    path("groups/<slug:slug>/join/", group_join, name="group-join"),
    path("groups/<slug:slug>/leave/", group_leave, name="group-leave"),
    path("groups/<slug:slug>/members/", group_members, name="group-members"),
    path("groups/<slug:slug>/members/<int:user_id>/<slug:action>/", group_member_action, name="group-member-action"),
]
