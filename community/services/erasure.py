"""Deleting an account (the right to erasure).

`account_erase` makes an anonymous stand-in account (no name, email or password; it can never sign in), lets each
app's `data_rights.erase.erase_user` move to it what must stay and erase everything else, keeps an ErasedAccount row
only if safeguarding or moderation records about the person were kept, ends every sign-in, and deletes the account.
docs/privacy.md lists what is deleted, what is kept without a name and what is kept for safeguarding.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from community import permissions, realtime
from community.errors import InvalidInput, NotFound
from community.models import ErasedAccount, User
from community.personal_data import data_rights_modules
from community.ratelimit import rate_limit_hit
from community.services.audit import audit_record
from community.services.roles import staff_keep_one
from community.services.sessions import user_sessions_end

# Shown wherever something a deleted account wrote is still shown (its words are gone).
DELETED_MEMBER = "Deleted member"

WRONG_PASSWORD = "That password isn't right. Please type the password you use to log in."
NOT_CONFIRMED = "Please tick the box to say you understand this can't be undone."
TOO_MANY_TRIES = "That's a lot of tries. For your safety, please wait 15 minutes and try again."
# Password tries count like logging in (HN_LOGIN_ATTEMPTS_PER_15_MIN), so a borrowed session can't guess its way in.
PASSWORD_TRIES_WINDOW_SECONDS = 15 * 60

# One rule per table in an app's personal-data sections: (the person, their stand-in, now) -> rows affected.
EraseRule = Callable[[User, User, datetime], int]


def account_erase(*, actor: User, user: User, password: str | None = None, confirmed: bool = True) -> None:
    """Delete `user`'s account. A person deleting their own gives their password and confirms; staff delete a
    member's account when the member asks (no password; community.permissions.can_erase_account_for, which also
    refuses anyone deleting their own account without their password).

    Refusals: wrong_password (field password), not_confirmed (field confirm), cannot_erase_account, person_not_found,
    last_staff (the last active member of staff), rate_limited (more password tries than logging in allows).
    """
    by_self = actor.pk == user.pk
    if by_self and password is not None:
        rate_limit_hit(
            key=f"erase:{user.pk}",
            limit=settings.HN_LOGIN_ATTEMPTS_PER_15_MIN,
            window_seconds=PASSWORD_TRIES_WINDOW_SECONDS,
            detail=TOO_MANY_TRIES,
        )
        if not user.check_password(password or ""):
            raise InvalidInput(WRONG_PASSWORD, code="wrong_password", fields={"password": [WRONG_PASSWORD]})
        if not confirmed:
            raise InvalidInput(NOT_CONFIRMED, code="not_confirmed", fields={"confirm": [NOT_CONFIRMED]})
    else:
        permissions.require_erase_account_for(actor, user)
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().filter(pk=user.pk, erased_at__isnull=True).first()
        if locked is None:
            raise NotFound("We couldn't find that account.", code="person_not_found")
        staff_keep_one(user=locked)
        stand_in = _stand_in_create(locked, now=now)
        counts: dict[str, int] = {}
        kept = False
        for module in data_rights_modules("erase"):
            result = module.erase_user(user=locked, stand_in=stand_in, now=now)
            counts.update(result["counts"])
            kept = kept or result["kept_for_safeguarding"]
        if kept:
            ErasedAccount.objects.create(
                stand_in=stand_in,
                former_user_id=locked.pk,
                display_name=locked.display_name,
                email=locked.email,
                real_name=locked.real_name,
                erased_at=now,
                erased_by_self=by_self,
                keep_until=now + timedelta(days=settings.HN_RETENTION_SAFEGUARDING_DAYS),
            )
        audit_record(
            actor=None if by_self else actor,
            action="account.erased",
            target=stand_in,
            data={"by_self": by_self, "kept_for_safeguarding": kept, "counts": counts},
        )
        user_sessions_end(locked.pk)
        realtime.access_changed_on_commit(locked.pk)  # open sockets find no account and close (4401)
        locked.delete()  # API tokens go with it


def _stand_in_create(user: User, *, now: datetime) -> User:
    """An anonymous account in the person's place: their role and joining date (so programme figures don't shift),
    nothing else."""
    while True:
        tag = secrets.token_hex(3)
        if not User.objects.filter(display_name__iexact=f"{DELETED_MEMBER} {tag}").exists():
            break
    stand_in = User(
        email=f"erased-{secrets.token_hex(8)}@erased.invalid",
        display_name=f"{DELETED_MEMBER} {tag}",
        site_role=user.site_role,
        date_joined=user.date_joined,
        is_active=False,
        erased_at=now,
    )
    stand_in.set_unusable_password()
    stand_in.save()
    return stand_in


# --- shared by each app's data_rights/erase.py ---------------------------------------------------------------------


def erase_by_rules(
    app_label: str, rules: dict[str, EraseRule], *, kept: Iterable[str], user: User, stand_in: User, now: datetime
) -> dict:
    """Run an app's rules in their order. Every table in the app's personal-data sections must have exactly one rule
    (a new table can't be forgotten). Returns {"counts": {table: rows}, "kept_for_safeguarding": bool}, where the
    second says whether any of the `kept` tables kept a record about the person."""
    sections = import_module(f"{app_label}.data_rights.sections").SECTIONS
    listed = {label for section in sections for label in section.models}
    if listed != set(rules):
        raise RuntimeError(f"{app_label} erasure rules don't match its sections: {sorted(listed ^ set(rules))}")
    counts = {label: rule(user, stand_in, now) for label, rule in rules.items()}
    return {"counts": counts, "kept_for_safeguarding": any(counts[label] for label in kept)}


def stored_files_delete_on_commit(storage: Storage, names: Iterable[str]) -> int:
    """Delete these files from `storage` once the transaction commits (a rollback leaves them). Returns how many."""
    doomed = [name for name in names if name]
    for name in doomed:
        transaction.on_commit(lambda name=name: storage.delete(name), robust=True)
    return len(doomed)


def without_names(text: str, user: User) -> str:
    """`text` with the person's display name, real name and email replaced by "Deleted member" (whole words only)."""
    for name in (user.email, user.real_name, user.display_name):
        if name:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", DELETED_MEMBER, text, flags=re.IGNORECASE)
    return text


def name_mentions_q(user: User, *fields: str):
    """A filter for rows whose `fields` mention the person's display name, real name or email."""
    query = Q()
    for name in (user.display_name, user.real_name, user.email):
        if name:
            for field in fields:
                query |= Q(**{f"{field}__icontains": name})
    return query
