"""The community agreement and the privacy notice (public), agreeing to a new version, and "what we keep about you"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme

from community.errors import DomainError
from community.models import PolicyKind
from community.personal_data import personal_data_sections
from community.services.notifications import is_local_path
from community.services.policies import policies_accept, policies_pending, policy_current

DOCUMENT_URL_NAMES = {PolicyKind.AGREEMENT: "community:agreement", PolicyKind.PRIVACY: "community:privacy-notice"}


def document_blocks(body: str) -> list[tuple[str, str]]:
    """A document's text as ("h2" | "p", text) blocks: blank lines between paragraphs, '## ' starts a heading."""
    blocks = []
    for part in body.replace("\r\n", "\n").split("\n"):
        text = part.strip()
        if text.startswith("## "):
            blocks.append(("h2", text[3:].strip()))
        elif text:
            blocks.append(("p", text))
    return blocks


def _document_page(request, kind: str):
    document = policy_current(kind=kind)
    if document is None:
        raise Http404("Not published yet.")
    return render(
        request,
        "community/policies/document.html",
        {"document": document, "blocks": document_blocks(document.body), "is_privacy": kind == PolicyKind.PRIVACY},
    )


def agreement(request):
    return _document_page(request, PolicyKind.AGREEMENT)


def privacy_notice(request):
    return _document_page(request, PolicyKind.PRIVACY)


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if is_local_path(wanted) and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return ""


@login_required
def policies_accept_page(request):
    """Agree to the new versions (the gate sends people here until they do)."""
    next_url = _next_url(request)
    if request.method == "POST":
        try:
            policies_accept(actor=request.user, document_ids=request.POST.getlist("document"))
        except DomainError as error:
            messages.error(request, error.detail)
            return redirect(request.get_full_path())
        messages.success(request, "Thank you. You're all up to date.")
        return redirect(next_url or "community:home")
    pending = policies_pending(user=request.user)
    documents = [(document, DOCUMENT_URL_NAMES[document.kind]) for document in pending]
    return render(request, "community/policies/accept.html", {"documents": documents, "next": next_url})


def what_we_keep(request):
    """Public, like the privacy notice that links to it. Generated from the same list the export and erasure follow
    (community.personal_data)."""
    return render(request, "community/policies/what_we_keep.html", {"sections": personal_data_sections()})


urlpatterns = [
    path("agreement/", agreement, name="agreement"),
    path("privacy/", privacy_notice, name="privacy-notice"),
    path("me/agreements/", policies_accept_page, name="policies-accept"),
    path("me/data/what-we-keep/", what_we_keep, name="what-we-keep"),
]
