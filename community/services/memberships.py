"""Writes for memberships: joining, leaving, requests, removals, bans and peer leaders.

Each person has one Membership row per group; these services move it between statuses. Every change locks that
row, records who decided, writes an audit entry and tells the person affected.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from community import permissions, realtime
from community.errors import Conflict, Forbidden, InvalidInput, NotFound
from community.models import Group, JoinPolicy, Membership, MembershipRole, MembershipStatus, User
from community.ratelimit import rate_limit_hit
from community.services.audit import audit_record
from community.services.notifications import notify

JOIN_REQUESTS_PER_HOUR = 5


# --- helpers ---------------------------------------------------------------------------------------


def _lock_membership(*, group: Group, user: User) -> Membership | None:
    return Membership.objects.select_for_update().filter(group=group, user=user).first()


def _lock_or_create_membership(*, group: Group, user: User, status: str) -> tuple[Membership, bool]:
    """The locked row for (group, user), creating it with `status` if there is none yet."""
    membership = _lock_membership(group=group, user=user)
    if membership is not None:
        return membership, False
    try:
        with transaction.atomic():
            return Membership.objects.create(group=group, user=user, status=status), True
    except IntegrityError:  # someone else created it a moment ago
        return Membership.objects.select_for_update().get(group=group, user=user), False


def _save(membership: Membership, *, status: str, decided_by: User | None, role: str | None = None) -> str:
    """Move `membership` to `status`; returns the status it had before."""
    previous = membership.status
    membership.status = status
    membership.decided_by = decided_by
    fields = ["status", "decided_by", "updated_at"]
    if status == MembershipStatus.ACTIVE and previous != MembershipStatus.ACTIVE:
        membership.joined_at = timezone.now()
        fields.append("joined_at")
    if role is not None and membership.role != role:
        membership.role = role
        fields.append("role")
    membership.save(update_fields=fields)
    return previous


def _audit(*, actor: User, action: str, membership: Membership, previous: str | None, **extra) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=membership,
        group=membership.group,
        data={"user_id": membership.user_id, "from": previous, "to": membership.status, **extra},
    )


def _group_url(group: Group) -> str:
    return reverse("community:group-detail", kwargs={"slug": group.slug})


def _members_url(group: Group) -> str:
    return reverse("community:group-members", kwargs={"slug": group.slug})


def _require_visible(actor: User, group: Group) -> None:
    if not permissions.can_see_group(actor, group):
        raise NotFound("We couldn't find that group.", code="group_not_found")


def _require_open_group(group: Group) -> None:
    if group.is_archived:
        raise Forbidden("This group is closed now, so its members can't change.", code="group_archived")


def _require_leader(actor: User, group: Group) -> None:
    _require_visible(actor, group)
    if not permissions.can_lead_group(actor, group):
        raise Forbidden("Only this group's peer leaders and staff can do that.", code="not_a_leader")


def _require_can_ban(actor: User, group: Group) -> None:
    _require_visible(actor, group)
    if not permissions.can_ban_from_group(actor, group):
        raise Forbidden("Only this group's peer leaders, moderators and staff can do that.", code="not_a_leader")


def _require_can_appoint(actor: User, group: Group) -> None:
    _require_visible(actor, group)
    if not permissions.can_appoint_leaders(actor, group):
        raise Forbidden("Only staff can choose peer leaders.", code="staff_only")


def _require_person(user: User | None) -> User:
    """The person acted on must still exist and be active (they may have been suspended a moment ago)."""
    if user is None or not user.pk or not User.objects.filter(pk=user.pk, is_active=True).exists():
        raise NotFound("We couldn't find that person.", code="person_not_found")
    return user


def _require_not_self(actor: User, user: User) -> None:
    if actor.pk == user.pk:
        raise InvalidInput("You can't do that to yourself. To step away, leave the group instead.", code="not_yourself")


def _not_a_member() -> Conflict:
    return Conflict("That person isn't a member of this group right now.", code="not_a_member")


def _changed(actor: User, user: User, group: Group) -> None:
    permissions.forget_membership(actor, group)
    permissions.forget_membership(user, group)
    realtime.access_changed_on_commit(user.pk)


# --- joining and leaving ---------------------------------------------------------------------------


def membership_join(*, actor: User, group: Group) -> Membership:
    """Join an open group, or ask to join a request group. Asking twice returns what is already there."""
    _require_visible(actor, group)
    if not permissions.can_join_groups(actor):
        raise Forbidden("Evaluators see only summaries, so they don't join groups.", code="evaluator_cannot_join")
    _require_open_group(group)
    with transaction.atomic():
        membership = _lock_membership(group=group, user=actor)
        if membership is not None and membership.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
            return membership
        if membership is not None and membership.status == MembershipStatus.BANNED:
            raise Forbidden(
                "You can't join this group. If you think this is a mistake, please talk to a member of staff.",
                code="banned_from_group",
            )
        if group.join_policy == JoinPolicy.INVITE:
            raise Forbidden(
                "This group is by invitation. A peer leader or staff member can add you.", code="invite_only"
            )
        if group.join_policy == JoinPolicy.REQUEST:
            rate_limit_hit(
                key=f"group-join-request:{actor.pk}:{group.pk}",
                limit=JOIN_REQUESTS_PER_HOUR,
                window_seconds=3600,
                detail="You've asked to join this group a few times already. Please wait a while and try again.",
            )
        membership, created = _lock_or_create_membership(group=group, user=actor, status=MembershipStatus.PENDING)
        if group.join_policy == JoinPolicy.OPEN:
            previous = _save(membership, status=MembershipStatus.ACTIVE, decided_by=actor, role=MembershipRole.MEMBER)
            _audit(
                actor=actor, action="membership.joined", membership=membership, previous=None if created else previous
            )
        else:
            previous = _save(membership, status=MembershipStatus.PENDING, decided_by=None, role=MembershipRole.MEMBER)
            _audit(
                actor=actor,
                action="membership.requested",
                membership=membership,
                previous=None if created else previous,
            )
            for leader_membership in Membership.objects.leaders().filter(group=group).select_related("user"):
                notify(
                    user=leader_membership.user,
                    kind="membership_requested",
                    title=f"{actor.display_name} would like to join {group.name}",
                    body="You can say yes or no on the group's members page.",
                    url=_members_url(group),
                )
    _changed(actor, actor, group)
    return membership


def membership_leave(*, actor: User, group: Group) -> Membership | None:
    """Leave a group, or take back a request to join. Doing it when you're not in the group is fine."""
    with transaction.atomic():
        membership = _lock_membership(group=group, user=actor)
        if membership is None or membership.status not in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
            return membership
        previous = _save(membership, status=MembershipStatus.LEFT, decided_by=actor, role=MembershipRole.MEMBER)
        _audit(actor=actor, action="membership.left", membership=membership, previous=previous)
    _changed(actor, actor, group)
    return membership


# --- leaders and staff deciding --------------------------------------------------------------------


def membership_approve(*, actor: User, group: Group, user: User) -> Membership:
    return _decide_request(actor=actor, group=group, user=user, approve=True)


def membership_decline(*, actor: User, group: Group, user: User) -> Membership:
    return _decide_request(actor=actor, group=group, user=user, approve=False)


def _decide_request(*, actor: User, group: Group, user: User, approve: bool) -> Membership:
    _require_leader(actor, group)
    user = _require_person(user)
    if approve:
        _require_open_group(group)
    with transaction.atomic():
        membership = _lock_membership(group=group, user=user)
        if membership is None or membership.status != MembershipStatus.PENDING:
            raise Conflict("There's no request from that person waiting for an answer.", code="not_pending")
        if approve:
            previous = _save(membership, status=MembershipStatus.ACTIVE, decided_by=actor)
            _audit(actor=actor, action="membership.approved", membership=membership, previous=previous)
            notify(
                user=user,
                kind="membership_approved",
                title=f"You're in! Welcome to {group.name}",
                body="Your request to join was accepted.",
                url=_group_url(group),
            )
        else:
            previous = _save(membership, status=MembershipStatus.DECLINED, decided_by=actor)
            _audit(actor=actor, action="membership.declined", membership=membership, previous=previous)
            notify(
                user=user,
                kind="membership_declined",
                title=f"Your request to join {group.name} wasn't accepted this time",
                body="This isn't about you as a person. There are other groups you can look at too.",
                url=reverse("community:group-list"),
            )
    _changed(actor, user, group)
    return membership


def membership_remove(*, actor: User, group: Group, user: User) -> Membership:
    """Take someone out of the group. They can come back the usual way later. Removing twice is fine."""
    _require_leader(actor, group)
    user = _require_person(user)
    _require_not_self(actor, user)
    with transaction.atomic():
        membership = _lock_membership(group=group, user=user)
        if membership is not None and membership.status == MembershipStatus.REMOVED:
            return membership
        if membership is None or membership.status != MembershipStatus.ACTIVE:
            raise _not_a_member()
        if not permissions.can_remove_member(actor, group, membership):
            raise Forbidden("Only staff can remove a peer leader.", code="cannot_remove_leader")
        previous = _save(membership, status=MembershipStatus.REMOVED, decided_by=actor, role=MembershipRole.MEMBER)
        _audit(actor=actor, action="membership.removed", membership=membership, previous=previous)
        notify(
            user=user,
            kind="membership_removed",
            title=f"You're no longer in {group.name}",
            body="A peer leader or staff member took you out of this group. You can talk to staff about it.",
            url=reverse("community:group-list"),
        )
    _changed(actor, user, group)
    return membership


def membership_ban(*, actor: User, group: Group, user: User, tell: bool = True) -> Membership:
    """Keep someone out of the group until a leader, moderator or staff lifts it. Banning twice is fine. `tell=False`
    when the caller sends its own notice (a moderator's sanction explains why and until when)."""
    _require_can_ban(actor, group)
    user = _require_person(user)
    _require_not_self(actor, user)
    with transaction.atomic():
        membership, created = _lock_or_create_membership(group=group, user=user, status=MembershipStatus.BANNED)
        if membership.status == MembershipStatus.BANNED and not created:
            return membership
        if not permissions.can_remove_member(actor, group, membership):
            raise Forbidden("Only staff can remove a peer leader.", code="cannot_remove_leader")
        was_in = membership.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING)
        previous = _save(membership, status=MembershipStatus.BANNED, decided_by=actor, role=MembershipRole.MEMBER)
        _audit(actor=actor, action="membership.banned", membership=membership, previous=None if created else previous)
        if was_in and tell:
            notify(
                user=user,
                kind="membership_removed",
                title=f"You can't take part in {group.name} any more",
                body=(
                    "A peer leader, moderator or staff member stopped you taking part. You can talk to staff about it."
                ),
                url=reverse("community:group-list"),
            )
    _changed(actor, user, group)
    return membership


def membership_unban(*, actor: User, group: Group, user: User) -> Membership:
    """Lift a ban. The person is not put back in the group; they can join again the usual way."""
    _require_can_ban(actor, group)
    user = _require_person(user)
    with transaction.atomic():
        membership = _lock_membership(group=group, user=user)
        if membership is None or membership.status != MembershipStatus.BANNED:
            raise Conflict("That person isn't banned from this group.", code="not_banned")
        previous = _save(membership, status=MembershipStatus.REMOVED, decided_by=actor)
        _audit(actor=actor, action="membership.unbanned", membership=membership, previous=previous)
    _changed(actor, user, group)
    return membership


def membership_add(*, actor: User, group: Group, user: User) -> Membership:
    """A leader or staff member adds someone directly (how invite-only groups grow). Adding twice is fine."""
    _require_leader(actor, group)
    user = _require_person(user)
    _require_open_group(group)
    if not permissions.can_join_groups(user):
        raise Forbidden("Evaluators see only summaries, so they don't join groups.", code="evaluator_cannot_join")
    with transaction.atomic():
        membership, created = _lock_or_create_membership(group=group, user=user, status=MembershipStatus.PENDING)
        if membership.status == MembershipStatus.ACTIVE:
            return membership
        if membership.status == MembershipStatus.BANNED:
            raise Forbidden(
                "That person is banned from this group. Lift the ban first if you want to add them.",
                code="banned_from_group",
            )
        previous = _save(membership, status=MembershipStatus.ACTIVE, decided_by=actor, role=MembershipRole.MEMBER)
        _audit(actor=actor, action="membership.added", membership=membership, previous=None if created else previous)
        notify(
            user=user,
            kind="membership_added",
            title=f"You've been added to {group.name}",
            body=f"{actor.display_name} added you. Come and say hello. You can leave any time.",
            url=_group_url(group),
        )
    _changed(actor, user, group)
    return membership


# --- peer leaders ----------------------------------------------------------------------------------


def membership_promote(*, actor: User, group: Group, user: User) -> Membership:
    return _set_role(actor=actor, group=group, user=user, role=MembershipRole.LEADER)


def membership_demote(*, actor: User, group: Group, user: User) -> Membership:
    return _set_role(actor=actor, group=group, user=user, role=MembershipRole.MEMBER)


def _set_role(*, actor: User, group: Group, user: User, role: str) -> Membership:
    _require_can_appoint(actor, group)
    user = _require_person(user)
    with transaction.atomic():
        membership = _lock_membership(group=group, user=user)
        if membership is None or membership.status != MembershipStatus.ACTIVE:
            raise _not_a_member()
        if membership.role == role:
            return membership
        previous_role = membership.role
        membership.role = role
        membership.decided_by = actor
        membership.save(update_fields=["role", "decided_by", "updated_at"])
        promoted = role == MembershipRole.LEADER
        audit_record(
            actor=actor,
            action="membership.promoted" if promoted else "membership.demoted",
            target=membership,
            group=group,
            data={"user_id": user.pk, "from": previous_role, "to": role},
        )
        if promoted:
            title, body = f"You're now a peer leader of {group.name}", "Thank you for helping to run the group."
        else:
            title, body = f"You're no longer a peer leader of {group.name}", "You're still a member of the group."
        notify(user=user, kind="leader_changed", title=title, body=body, url=_group_url(group))
    _changed(actor, user, group)
    return membership


# What a peer leader or staff member may do to one person's membership, by the name pages and the API use.
MEMBER_ACTIONS = {
    "approve": membership_approve,
    "decline": membership_decline,
    "remove": membership_remove,
    "ban": membership_ban,
    "unban": membership_unban,
    "promote": membership_promote,
    "demote": membership_demote,
}
