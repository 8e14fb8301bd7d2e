"""Writes for groups: create, update and archive. Staff create groups; leaders help run them."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from community import permissions
from community.errors import Conflict, Forbidden, InvalidInput
from community.models import Group, JoinPolicy, User
from community.services.audit import audit_record

SLUG_MAX_LENGTH = Group._meta.get_field("slug").max_length
NAME_MAX_LENGTH = Group._meta.get_field("name").max_length
RESERVED_SLUGS = {"new"}  # /groups/new/ is the page for starting a group


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("Please give the group a name.", code="name_required", fields={"name": ["Needed."]})
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidInput(
            f"Please keep the name to {NAME_MAX_LENGTH} characters or fewer.",
            code="name_too_long",
            fields={"name": ["Too long."]},
        )
    return name


def _check_join_policy(join_policy: str) -> None:
    if join_policy not in JoinPolicy.values:
        raise InvalidInput("Please choose how people join.", code="invalid_join_policy")


def _name_taken() -> Conflict:
    return Conflict(
        "There's already a group with that name. Please pick another.",
        code="group_name_taken",
        fields={"name": ["Already taken."]},
    )


def _ensure_name_free(name: str, *, exclude_pk: int | None = None) -> None:
    taken = Group.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _name_taken()


def _unique_slug(name: str) -> str:
    base = slugify(name)[: SLUG_MAX_LENGTH - 6].strip("-") or "group"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Group.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _require_staff(actor: User, group: Group | None = None) -> None:
    allowed = (
        permissions.can_create_group(actor) if group is None else permissions.can_change_group_settings(actor, group)
    )
    if not allowed:
        raise Forbidden("Only staff can do that. Please ask a member of staff.", code="staff_only")


def group_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    is_listed: bool = True,
    join_policy: str = JoinPolicy.REQUEST,
) -> Group:
    _require_staff(actor)
    name = _clean_name(name)
    _check_join_policy(join_policy)
    with transaction.atomic():
        _ensure_name_free(name)
        try:
            with transaction.atomic():
                group = Group.objects.create(
                    name=name,
                    slug=_unique_slug(name),
                    description=description.strip(),
                    is_listed=is_listed,
                    join_policy=join_policy,
                    created_by=actor,
                )
        except IntegrityError:
            raise _name_taken() from None
        audit_record(
            actor=actor,
            action="group.created",
            target=group,
            group=group,
            data={"name": name, "join_policy": join_policy, "is_listed": is_listed},
        )
    return group


def group_update(
    *,
    actor: User,
    group: Group,
    name: str | None = None,
    description: str | None = None,
    join_policy: str | None = None,
    is_listed: bool | None = None,
    is_archived: bool | None = None,
) -> Group:
    """Change what is given (None means leave it). Leaders may change the description and how people join."""
    if not permissions.can_edit_group(actor, group):
        raise Forbidden("Only this group's peer leaders and staff can do that.", code="not_a_leader")
    if name is not None:
        name = _clean_name(name)
    if join_policy is not None:
        _check_join_policy(join_policy)
    with transaction.atomic():
        locked = Group.objects.select_for_update().get(pk=group.pk)
        wanted = {
            "name": name,
            "description": description.strip() if description is not None else None,
            "join_policy": join_policy,
            "is_listed": is_listed,
            "is_archived": is_archived,
        }
        changes = {
            field: value for field, value in wanted.items() if value is not None and getattr(locked, field) != value
        }
        if {"name", "is_listed", "is_archived"} & changes.keys():
            _require_staff(actor, locked)
        if not changes:
            return locked
        if "name" in changes:
            _ensure_name_free(changes["name"], exclude_pk=locked.pk)
        before = {field: getattr(locked, field) for field in changes}
        for field, value in changes.items():
            setattr(locked, field, value)
        try:
            with transaction.atomic():
                locked.save(update_fields=[*changes, "updated_at"])
        except IntegrityError:
            raise _name_taken() from None
        audit_record(
            actor=actor,
            action="group.updated",
            target=locked,
            group=locked,
            data={"before": before, "after": changes},
        )
    return locked


def group_archive(*, actor: User, group: Group) -> Group:
    """Archive a group: it leaves the lists and only its members still see it. Doing it twice is fine."""
    _require_staff(actor, group)
    with transaction.atomic():
        locked = Group.objects.select_for_update().get(pk=group.pk)
        if locked.is_archived:
            return locked
        locked.is_archived = True
        locked.save(update_fields=["is_archived", "updated_at"])
        audit_record(actor=actor, action="group.archived", target=locked, group=locked)
    return locked
