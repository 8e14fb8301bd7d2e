"""Every permission rule in community, in one place.

`access_*` functions fetch something only if the user may see or act on it and raise a DomainError otherwise;
`can_*` functions answer yes or no for templates and serializers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from community.errors import Forbidden, InvalidInput, NotFound
from community.models import (
    Group,
    Invitation,
    Membership,
    MembershipStatus,
    Notification,
    PersonBlock,
    PersonMute,
    ProfileVisibility,
    SafeguardingConcern,
    SiteRole,
    User,
)
from community.queries import one_or_none


def is_site_staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.site_role == SiteRole.STAFF)


def is_moderator_or_staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.site_role in (SiteRole.MODERATOR, SiteRole.STAFF))


def _membership(user: User, group: Group) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = user._membership_cache = {}
    if group.pk not in cache:
        cache[group.pk] = one_or_none(Membership.objects.filter(user=user, group=group))
    return cache[group.pk]


def is_active_member(user: User, group: Group) -> bool:
    membership = _membership(user, group)
    return membership is not None and membership.status == MembershipStatus.ACTIVE


def is_group_leader(user: User, group: Group) -> bool:
    membership = _membership(user, group)
    return membership is not None and membership.is_leader


def can_see_group(user: User, group: Group) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_moderator_or_staff(user):
        return True
    if group.is_archived:
        return is_active_member(user, group)
    return group.is_listed or is_active_member(user, group)


def access_group(*, user: User, slug: str) -> Group:
    group = Group.objects.filter(slug=slug).first()
    if group is None or not can_see_group(user, group):
        raise NotFound("We couldn't find that group.", code="group_not_found")
    return group


def can_lead_group(user: User, group: Group) -> bool:
    """Peer leaders of this group and staff run the group's members, invitations and events."""
    return is_site_staff(user) or is_group_leader(user, group)


def access_group_as_leader(*, user: User, slug: str) -> Group:
    group = access_group(user=user, slug=slug)
    if not can_lead_group(user, group):
        raise Forbidden("Only this group's peer leaders and staff can do that.", code="not_a_leader")
    return group


def can_appoint_leaders(user: User, group: Group) -> bool:
    return is_site_staff(user)


def can_create_group(user: User) -> bool:
    return is_site_staff(user)


def can_edit_group(user: User, group: Group) -> bool:
    return can_lead_group(user, group)


def can_see_members(user: User, group: Group) -> bool:
    if user.is_authenticated and user.site_role == SiteRole.EVALUATOR:
        return False
    return is_moderator_or_staff(user) or is_active_member(user, group)


def access_group_members(*, user: User, slug: str) -> Group:
    group = access_group(user=user, slug=slug)
    if not can_see_members(user, group):
        raise Forbidden("Join this group to see who's in it.", code="not_a_member")
    return group


def visible_groups(user: User) -> QuerySet[Group]:
    """The groups `user` may see, as a query: the same rule as can_see_group, for lists."""
    if not user.is_authenticated or not user.is_active:
        return Group.objects.none()
    if is_moderator_or_staff(user):
        return Group.objects.all()
    mine = Membership.objects.active().filter(user=user).values("group")
    return Group.objects.filter(Q(is_archived=False, is_listed=True) | Q(pk__in=mine))


def can_join_groups(user: User) -> bool:
    """Evaluators only ever see aggregates, so they never join a group (members see names and messages)."""
    return bool(user.is_authenticated and user.is_active and user.site_role != SiteRole.EVALUATOR)


def can_change_group_settings(user: User, group: Group) -> bool:
    """A group's name, whether it is listed and whether it is archived belong to staff."""
    return is_site_staff(user)


def can_see_group_leaders(user: User, group: Group) -> bool:
    """Members see who runs a group they can see; evaluators never see names."""
    return bool(user.is_authenticated and user.site_role != SiteRole.EVALUATOR and can_see_group(user, group))


def leaders_shown_to(user: User, group: Group, leaders: list[Membership]) -> list[Membership]:
    """The peer leaders `user` may see named. Under-18 leaders are named only to the group's own members and to staff
    and moderators: nobody outside a young person's groups can find them (privacy by default for under-18s)."""
    if not can_see_group_leaders(user, group):
        return []
    if is_active_member(user, group) or is_moderator_or_staff(user):
        return leaders
    return [membership for membership in leaders if not membership.user.is_under_18]


def can_see_join_requests(user: User, group: Group) -> bool:
    """Pending requests, bans and past members are for the group's leaders and staff."""
    return can_lead_group(user, group)


def can_remove_member(user: User, group: Group, membership: Membership) -> bool:
    """Leaders remove or ban members (moderators ban them too); only staff remove or ban a peer leader."""
    if is_site_staff(user):
        return True
    return (is_group_leader(user, group) or is_moderator_or_staff(user)) and not membership.is_leader


def can_ban_from_group(user: User, group: Group) -> bool:
    """A group's peer leaders and staff ban people from it, and so do moderators (site-wide)."""
    return can_lead_group(user, group) or is_moderator_or_staff(user)


def forget_membership(user: User, group: Group) -> None:
    """Drop the per-request membership cache after a service changes `user`'s place in `group`."""
    cache = getattr(user, "_membership_cache", None)
    if cache is not None:
        cache.pop(group.pk, None)


def remember_memberships(user: User, group_ids) -> None:
    """Load `user`'s memberships of these groups in one query, so the rules above cost no query per group
    when a list (of events, for example) checks them row by row."""
    if not user.is_authenticated:
        return
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = user._membership_cache = {}
    wanted = {group_id for group_id in group_ids if group_id not in cache}
    if not wanted:
        return
    found = {m.group_id: m for m in Membership.objects.filter(user=user, group_id__in=wanted)}
    for group_id in wanted:
        cache[group_id] = found.get(group_id)


def can_create_invitation(user: User, group: Group | None) -> bool:
    if is_site_staff(user):
        return True
    return group is not None and is_group_leader(user, group)


def can_invite_anywhere(user: User) -> bool:
    """Staff, or anyone who leads at least one group, may open the invitations page."""
    if is_site_staff(user):
        return True
    return bool(
        user.is_authenticated and Membership.objects.leaders().filter(user=user, group__is_archived=False).exists()
    )


def invitable_groups(user: User) -> QuerySet[Group]:
    """The same rule as can_create_invitation, as a query: every active group for staff, led groups for leaders."""
    groups = Group.objects.filter(is_archived=False)
    if is_site_staff(user):
        return groups
    if not user.is_authenticated or not user.is_active:
        return groups.none()
    return groups.filter(pk__in=Membership.objects.leaders().filter(user=user).values("group"))


def can_see_invitation(user: User, invitation: Invitation) -> bool:
    """Staff see every invitation; others see the ones they made and the ones for groups they lead."""
    if is_site_staff(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if invitation.created_by_id == user.pk:
        return True
    return invitation.group is not None and is_group_leader(user, invitation.group)


def visible_invitations_q(user: User) -> Q:
    """The same rule as can_see_invitation, as a filter for listing invitations."""
    if is_site_staff(user):
        return Q()
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    led_groups = Membership.objects.leaders().filter(user=user).values("group")
    return Q(created_by=user) | Q(group__in=led_groups)


def access_invitation(*, user: User, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_related("group", "created_by").filter(pk=invitation_id).first()
    if invitation is None or not can_see_invitation(user, invitation):
        raise NotFound("We couldn't find that invitation.", code="invitation_not_found")
    return invitation


def can_revoke_invitation(user: User, invitation: Invitation) -> bool:
    if is_site_staff(user):
        return True
    return bool(user.is_authenticated and user.is_active and invitation.created_by_id == user.pk)


def can_manage_roles(user: User) -> bool:
    return is_site_staff(user)


def can_be_found_outside_groups(user: User) -> bool:
    """Under-18s can't switch on settings that would let people outside their groups find or contact them."""
    return not user.is_under_18


def can_edit_profile(actor: User, subject: User) -> bool:
    """People change their own profile, privacy and picture; staff may too (for example to remove a hurtful picture)."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.pk == subject.pk or is_site_staff(actor)


def shares_active_group(viewer: User, subject: User) -> bool:
    return (
        Membership.objects.active()
        .filter(user=subject, group__in=Membership.objects.active().filter(user=viewer).values("group"))
        .exists()
    )


def can_see_profile(viewer: User, subject: User) -> bool:
    if not viewer.is_authenticated or not viewer.is_active or viewer.site_role == SiteRole.EVALUATOR:
        return False
    if subject.is_erased:
        return False  # a deleted account's anonymous stand-in: its profile went with the account, for everyone
    if viewer.pk == subject.pk or is_moderator_or_staff(viewer):
        return True
    if not subject.is_active:
        return False
    if has_blocked(subject, viewer):
        return False  # the person blocked them: their profile is out of sight (they are not told why)
    if subject.profile.profile_visibility == ProfileVisibility.ALL_MEMBERS:
        return True
    return shares_active_group(viewer, subject)


def has_blocked(blocker: User, other: User) -> bool:
    return PersonBlock.objects.filter(blocker=blocker, blocked=other).exists()


def either_blocked(first: User, second: User) -> bool:
    return PersonBlock.objects.filter(Q(blocker=first, blocked=second) | Q(blocker=second, blocked=first)).exists()


def has_muted(muter: User, other: User) -> bool:
    return PersonMute.objects.filter(muter=muter, muted=other).exists()


# --- personal controls (block and mute) -----------------------------------------------------------------------------
# Every member may block or mute anyone with an account (blocking hides nothing from the other person: they are
# never told). Evaluators have no chat, so nothing to block. Moderators and staff can be muted but not blocked: a
# block would stop them reaching someone they may need to keep safe.


def can_use_personal_controls(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.site_role != SiteRole.EVALUATOR)


def require_personal_controls(user: User) -> None:
    if not can_use_personal_controls(user):
        raise Forbidden("Blocking and muting are part of chat, which evaluators don't use.", code="forbidden")


def can_block(actor: User, other: User) -> bool:
    return can_use_personal_controls(actor) and other.pk != actor.pk and not is_moderator_or_staff(other)


def access_person_to_control(*, actor: User, user_id: int, adding: bool) -> User:
    """The person `actor` is blocking, muting or letting back in. Adding needs an active account that isn't an
    evaluator's; taking a block or mute away works for any account that exists (so old ones can be tidied up)."""
    require_personal_controls(actor)
    other = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if other is None or (adding and (not other.is_active or other.site_role == SiteRole.EVALUATOR)):
        raise NotFound("We couldn't find that person.", code="person_not_found")
    if other.pk == actor.pk:
        raise InvalidInput("That's you! You can't block or mute yourself.", code="not_yourself")
    return other


def can_see_real_name(viewer: User, subject: User) -> bool:
    return viewer.pk == subject.pk or is_site_staff(viewer)


def access_profile(*, viewer: User, user_id: int) -> User:
    subject = User.objects.select_related("profile").filter(pk=user_id).first()
    if subject is None or not can_see_profile(viewer, subject):
        raise NotFound("We couldn't find that person.", code="person_not_found")
    return subject


def can_see_notification(user: User, notification: Notification) -> bool:
    """A notification belongs to one person; nobody else, staff included, may read or change it."""
    return bool(user.is_authenticated and user.is_active and notification.user_id == user.pk)


def access_notification(*, user: User, notification_id: int, lock: bool = False) -> Notification:
    queryset = Notification.objects.select_for_update() if lock else Notification.objects.all()
    notification = queryset.filter(pk=notification_id).first()
    if notification is None or not can_see_notification(user, notification):
        raise NotFound("We couldn't find that notification.", code="notification_not_found")
    return notification


# --- safeguarding -----------------------------------------------------------------------------------------------------


def can_handle_safeguarding(user: User) -> bool:
    """Moderators and staff see, claim and resolve safeguarding concerns."""
    return is_moderator_or_staff(user)


def access_safeguarding_concern(*, user: User, concern_id: int) -> SafeguardingConcern:
    if not can_handle_safeguarding(user):
        raise Forbidden("Only moderators and staff handle safeguarding concerns.", code="moderators_only")
    concern = SafeguardingConcern.objects.filter(pk=concern_id).first() if isinstance(concern_id, int) else None
    if concern is None:
        raise NotFound("We couldn't find that safeguarding concern.", code="concern_not_found")
    return concern


def can_edit_crisis_phrases(user: User) -> bool:
    """Moderators and staff edit the crisis-language phrase list and use its test box."""
    return is_moderator_or_staff(user)


def can_see_support_contacts(user: User) -> bool:
    """Every signed-in person (the support page is for members)."""
    return bool(user.is_authenticated and user.is_active)


def can_edit_support_contacts(user: User) -> bool:
    return is_site_staff(user)


# --- moderator duty ---------------------------------------------------------------------------------------------------


def can_take_duty(user: User) -> bool:
    """Moderators and staff go on and off duty (while someone is, rooms with staffed hours are open and safeguarding
    alerts reach them). A suspended account can't."""
    return is_moderator_or_staff(user) and not user.is_suspended


def require_can_take_duty(user: User) -> None:
    if not can_take_duty(user):
        raise Forbidden("Only moderators and staff go on duty.", code="moderators_only")


# --- programme figures (issue 6) --------------------------------------------------------------------------------------


def can_see_programme_figures(user: User) -> bool:
    """Staff and evaluators see the programme's figures: aggregates only, disclosure-controlled, never a name or one
    person's record. Moderators and members don't."""
    return bool(user.is_authenticated and user.is_active and user.site_role in (SiteRole.STAFF, SiteRole.EVALUATOR))


def require_programme_figures(user: User) -> None:
    if not can_see_programme_figures(user):
        raise Forbidden("Only staff and evaluators can see the programme's figures.", code="programme_figures_only")


def can_see_group_figures(user: User, group: Group) -> bool:
    """A group's own figures (attendance, returning members, pulse averages; aggregates only): its peer leaders,
    staff and evaluators."""
    return can_see_programme_figures(user) or is_group_leader(user, group)


def access_group_figures(*, user: User, slug: str) -> Group:
    group = access_group(user=user, slug=slug)
    if not can_see_group_figures(user, group):
        raise Forbidden(
            "Only this group's peer leaders, staff and evaluators can see its figures.", code="group_figures_only"
        )
    return group


# --- wellbeing check-ins, consent and invitations (issue 6) -----------------------------------------------------------


def can_record_wellbeing(user: User) -> bool:
    """Anyone signed in records their own check-ins, consent and invitation choice; evaluators never do (they only
    ever see aggregates)."""
    return bool(user.is_authenticated and user.is_active and user.site_role != SiteRole.EVALUATOR)


def require_record_wellbeing(user: User) -> None:
    if not can_record_wellbeing(user):
        raise Forbidden("Wellbeing check-ins are for members, about themselves.", code="wellbeing_members_only")


def can_be_invited_to_check_in(user: User) -> bool:
    """The gentle invitation goes to members only: never to staff, moderators or evaluators."""
    return bool(user.is_active and user.site_role == SiteRole.MEMBER)


def access_own_checkin(*, user: User, checkin_id: int, lock: bool = False):
    """One of your own check-ins; anyone else's (or none) is simply not found."""
    from community.models_wellbeing import WellbeingCheckIn

    require_record_wellbeing(user)
    rows = WellbeingCheckIn.objects.filter(pk=checkin_id, user=user)
    checkin = (rows.select_for_update() if lock else rows).first()
    if checkin is None:
        raise NotFound("We couldn't find that check-in.", code="checkin_not_found")
    return checkin


# --- my positive destination and my dashboard (issue 6) ---------------------------------------------------------------


def can_keep_destination(user: User) -> bool:
    """Your own destination areas, goals, steps and current activity: anyone signed in, about themselves only.
    Evaluators never (they only ever see aggregates)."""
    return bool(user.is_authenticated and user.is_active and user.site_role != SiteRole.EVALUATOR)


def require_keep_destination(user: User) -> None:
    if not can_keep_destination(user):
        raise Forbidden("Your positive destination is yours to keep; evaluators only see totals.", code="members_only")


def can_see_own_dashboard(user: User) -> bool:
    """My dashboard shows only the person looking at it, their own record: nobody can open anyone else's (there is no
    way to name another person), and evaluators have no personal dashboard."""
    return can_keep_destination(user)


def require_own_dashboard(user: User) -> None:
    if not can_see_own_dashboard(user):
        raise Forbidden("My dashboard is for members, about themselves.", code="members_only")


def access_own_goal(*, user: User, goal_id: int, lock: bool = False):
    """One of your own goals; anyone else's (or none) is simply not found."""
    from community.models_wellbeing import Goal

    require_keep_destination(user)
    rows = Goal.objects.filter(pk=goal_id, user=user)
    goal = (rows.select_for_update() if lock else rows).first()
    if goal is None:
        raise NotFound("We couldn't find that goal.", code="goal_not_found")
    return goal


def access_own_goal_step(*, user: User, goal_id: int, step_id: int, lock: bool = False):
    """A step of one of your own goals; anyone else's (or none) is simply not found."""
    from community.models_wellbeing import GoalStep

    require_keep_destination(user)
    rows = GoalStep.objects.filter(pk=step_id, goal_id=goal_id, goal__user=user)
    step = (rows.select_for_update() if lock else rows).first()
    if step is None:
        raise NotFound("We couldn't find that step.", code="step_not_found")
    return step


# --- the community agreement and the privacy notice (issue 7) ------------------------------------------------------


def can_publish_policies(user: User) -> bool:
    """Staff publish new versions of the community agreement and the privacy notice."""
    return is_site_staff(user) or bool(user.is_authenticated and user.is_active and user.is_superuser)


def require_publish_policies(user: User) -> None:
    if not can_publish_policies(user):
        raise Forbidden("Only staff can publish the community agreement or the privacy notice.", code="staff_only")


# --- deleting an account (issue 7) -----------------------------------------------------------------------------------


def can_erase_account_for(actor: User, user: User) -> bool:
    """Staff may delete someone else's account when that person asks them to (the admin action): never another staff
    member's (or a superuser's), never their own that way (they use /me/data/delete/ with their password), and never
    an account that is already an erased one's anonymous stand-in. Everyone may delete their own with their password.
    """
    if actor.pk == user.pk or user.is_erased:
        return False
    if user.site_role == SiteRole.STAFF or user.is_superuser:
        return False
    return is_site_staff(actor)


def require_erase_account_for(actor: User, user: User) -> None:
    if not can_erase_account_for(actor, user):
        raise Forbidden(
            "Staff can delete a member's account when the member asks, but not their own or another staff member's "
            "this way.",
            code="cannot_erase_account",
        )


# --- copies of your data (issue 7) ------------------------------------------------------------------------------------


def access_data_export(*, user: User, export_id: int, lock: bool = False):
    """One of your own data exports. Anyone signed in may have them (evaluators are people too); anyone else's, or
    none, is simply not found, staff included."""
    from community.models_privacy import DataExport

    rows = DataExport.objects.filter(pk=export_id, user_id=user.pk)  # an anonymous user's pk is None: no rows
    export = (rows.select_for_update() if lock else rows).first()
    if export is None:
        raise NotFound("We couldn't find that copy of your data.", code="export_not_found")
    return export
