"""Site roles (member, moderator, staff, evaluator) and the safeguarding lead flag. Staff only, always audited."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from community import permissions
from community.errors import Conflict, Forbidden, InvalidInput
from community.models import SiteRole, User
from community.realtime import access_changed_on_commit
from community.services.audit import audit_record
from community.services.notifications import notify

_ROLE_DESCRIPTIONS = {
    SiteRole.MEMBER: "a member",
    SiteRole.MODERATOR: "a moderator",
    SiteRole.STAFF: "a member of staff",
    SiteRole.EVALUATOR: "an evaluator",
}


def staff_keep_one(*, user: User) -> None:
    """Refuse (409 last_staff) a change that would take away the last active member of staff (a role change or an
    account deletion): someone must always be able to run things. Call it inside the transaction."""
    if user.site_role != SiteRole.STAFF or not user.is_active:
        return
    other_staff = User.objects.select_for_update().filter(site_role=SiteRole.STAFF, is_active=True)
    if not other_staff.exclude(pk=user.pk).exists():
        raise Conflict(
            "This is the last member of staff. Make someone else staff first, so someone can still run things.",
            code="last_staff",
        )


def user_set_site_role(*, actor: User, user: User, role: str) -> User:
    """Give `user` a new site role. The last active staff member cannot stop being staff."""
    _check_can_manage(actor)
    if role not in SiteRole.values:
        raise InvalidInput("Please choose one of the roles on the list.", code="invalid_role")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        old_role = locked.site_role
        if old_role == role:
            return locked
        staff_keep_one(user=locked)
        locked.site_role = role
        update_fields = ["site_role"]
        if role != SiteRole.STAFF and locked.is_safeguarding_lead:
            # Only staff hold the safeguarding lead role, so it goes with the staff role.
            locked.is_safeguarding_lead = False
            update_fields.append("is_safeguarding_lead")
        locked.save(update_fields=update_fields)
        audit_record(
            actor=actor,
            action="user.site_role_changed",
            target=locked,
            data={"from": old_role, "to": role, "safeguarding_lead_cleared": "is_safeguarding_lead" in update_fields},
        )
        notify(
            user=locked,
            kind="role_changed",
            title="Your role in Here and Now has changed",
            body=f"You're now {_ROLE_DESCRIPTIONS[SiteRole(role)]}. If you have any questions, a member of staff "
            "is happy to help.",
            url=reverse("community:profile-edit"),
        )
        access_changed_on_commit(locked.pk)
    return locked


def user_set_safeguarding_lead(*, actor: User, user: User, value: bool) -> User:
    """Make a member of staff a safeguarding lead, or stop them being one."""
    _check_can_manage(actor)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_safeguarding_lead == bool(value):
            return locked
        if value and locked.site_role != SiteRole.STAFF:
            raise InvalidInput(
                "Only members of staff can be a safeguarding lead. Make them staff first.",
                code="safeguarding_lead_must_be_staff",
            )
        locked.is_safeguarding_lead = bool(value)
        locked.save(update_fields=["is_safeguarding_lead"])
        audit_record(
            actor=actor,
            action="user.safeguarding_lead_changed",
            target=locked,
            data={"value": locked.is_safeguarding_lead},
        )
        notify(
            user=locked,
            kind="role_changed",
            title="You're now a safeguarding lead" if value else "You're no longer a safeguarding lead",
            url=reverse("community:profile-edit"),
        )
    return locked


def _check_can_manage(actor: User) -> None:
    if not permissions.can_manage_roles(actor):
        raise Forbidden("Only staff can change people's roles.", code="not_staff")
