"""The community agreement and the privacy notice: the current versions, who still has to accept them, accepting,
and publishing a new version (staff).

Everyone accepts the current agreement and notice at sign-up; when staff publish a new version, every member is told
and is asked to accept it the next time they use the site (community.middleware.PolicyGateMiddleware). The gate asks
on every request, so `policies_all_accepted` remembers a yes (see there).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from community import permissions, realtime
from community.errors import Conflict, InvalidInput
from community.models import PolicyAcceptance, PolicyDocument, PolicyKind, User
from community.services.audit import audit_record
from community.services.notifications import notify_many

TITLE_MAX = 120
REMEMBERED_SECONDS = 3600
CURRENT_IDS_KEY = "policies:current"
ACCEPTED_KEY = "policies:accepted:{user_id}"

OUT_OF_DATE = (
    "There's a newer version of the community agreement or the privacy notice. Have a look at what's changed, "
    "then agree to the new version."
)


def _current_documents() -> QuerySet[PolicyDocument]:
    """The newest published version of each kind."""
    now = timezone.now()
    newer = PolicyDocument.objects.filter(kind=OuterRef("kind"), version__gt=OuterRef("version"), published_at__lte=now)
    return PolicyDocument.objects.filter(published_at__lte=now).exclude(Exists(newer)).order_by("kind")


def policy_current(*, kind: str) -> PolicyDocument | None:
    """The newest published version of one kind of document (None only before any is published)."""
    return _current_documents().filter(kind=kind).first()


def policies_current() -> list[PolicyDocument]:
    """The current version of each kind, agreement first."""
    return list(_current_documents())


def policies_pending(*, user: User) -> list[PolicyDocument]:
    """The current versions `user` hasn't accepted yet."""
    current = policies_current()
    accepted = set(
        PolicyAcceptance.objects.filter(user=user, document__in=current).values_list("document_id", flat=True)
    )
    return [document for document in current if document.pk not in accepted]


def _newer_than(document_id: int) -> bool:
    return PolicyDocument.objects.filter(pk__gt=document_id).exists()


def _current_ids(remembered: tuple[int, ...] | None) -> tuple[int, ...]:
    """The ids of the current versions: `remembered` (from the cache) while no newer document exists."""
    if remembered is not None and not _newer_than(max(remembered, default=0)):
        return remembered
    current = tuple(_current_documents().values_list("pk", flat=True))
    cache.set(CURRENT_IDS_KEY, current, timeout=REMEMBERED_SECONDS)
    return current


def policies_all_accepted(*, user: User) -> bool:
    """Has `user` accepted every current version?

    Asked on every gated request and every socket connect, so it is cheap: a yes is remembered in the cache with the
    id of the newest document at the time, and after that the question is only "is there a newer document?" (one
    cache read and one tiny query). Publishing adds a newer document, so every process, whatever its cache, asks the
    whole question again. The whole question is two small queries (the current ids are remembered the same way, and
    read from the cache in the same round trip)."""
    accepted_key = ACCEPTED_KEY.format(user_id=user.pk)
    remembered = cache.get_many([accepted_key, CURRENT_IDS_KEY])
    newest_accepted = remembered.get(accepted_key)
    if newest_accepted is not None and not _newer_than(newest_accepted):
        return True
    current = _current_ids(remembered.get(CURRENT_IDS_KEY))
    if PolicyAcceptance.objects.filter(user=user, document_id__in=current).count() != len(current):
        return False
    cache.set(accepted_key, max(current, default=0), timeout=REMEMBERED_SECONDS)
    return True


def policies_accept(*, actor: User, document_ids: Iterable[int], now: datetime | None = None) -> list[PolicyAcceptance]:
    """Record that `actor` accepts these documents. Only current versions can be accepted (an app or a page that
    showed an older one gets `policy_out_of_date`); accepting one already accepted changes nothing."""
    try:
        wanted = {int(document_id) for document_id in document_ids}
    except (TypeError, ValueError):
        raise InvalidInput("Please choose which documents you agree to.", code="invalid_documents") from None
    if not wanted:
        raise InvalidInput("Please choose which documents you agree to.", code="invalid_documents")
    current = {document.pk: document for document in policies_current()}
    if not wanted <= current.keys():
        raise Conflict(OUT_OF_DATE, code="policy_out_of_date")
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        already = set(
            PolicyAcceptance.objects.filter(user=actor, document_id__in=wanted).values_list("document_id", flat=True)
        )
        made = []
        for document_id in sorted(wanted - already):
            try:
                with transaction.atomic():
                    made.append(PolicyAcceptance.objects.create(user=actor, document_id=document_id, accepted_at=now))
            except IntegrityError:  # accepted in another tab at the same moment
                continue
    return made


def policies_accept_current(*, actor: User, now: datetime | None = None) -> list[PolicyAcceptance]:
    """Accept every current version (at sign-up, and for accounts made by an operator's command)."""
    current = [document.pk for document in policies_current()]
    return policies_accept(actor=actor, document_ids=current, now=now) if current else []


def policy_publish(*, actor: User, kind: str, title: str, summary: str, body: str) -> PolicyDocument:
    """Publish a new version (staff only): the previous version + 1. Every active member is told, and is asked to
    accept it the next time they use Here and Now."""
    permissions.require_publish_policies(actor)
    if kind not in PolicyKind.values:
        raise InvalidInput("Please choose the agreement or the privacy notice.", code="invalid_choice")
    title, summary, body = (" ".join((title or "").split()), (summary or "").strip(), (body or "").strip())
    if not title or len(title) > TITLE_MAX:
        raise InvalidInput(f"The title needs 1 to {TITLE_MAX} characters.", code="invalid_title")
    if not summary:
        raise InvalidInput("Please say, in a few plain sentences, what has changed.", code="summary_required")
    if not body:
        raise InvalidInput("Please give the full text.", code="body_required")

    with transaction.atomic():
        # Locks the kind's rows so two staff publishing at once can't both take the same version number.
        list(PolicyDocument.objects.select_for_update().filter(kind=kind).values_list("pk", flat=True))
        version = (PolicyDocument.objects.filter(kind=kind).aggregate(Max("version"))["version__max"] or 0) + 1
        document = PolicyDocument.objects.create(
            kind=kind,
            version=version,
            title=title,
            summary=summary,
            body=body,
            published_at=timezone.now(),
            published_by=actor,
        )
        audit_record(actor=actor, action="policy.published", target=document, data={"kind": kind, "version": version})
        realtime.policies_changed_on_commit()
        notify_many(
            users=User.objects.filter(is_active=True, erased_at__isnull=True),
            kind="policy_updated",
            title=f"We've updated our {document.get_kind_display().lower()}",
            body=summary,
            url=reverse("community:policies-accept"),
        )
    return document
