"""Block and mute from a profile, the chat or a report's thank-you page, and the settings page that lists the people
you blocked or muted with a button to undo each. The same services as the REST API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from community.errors import DomainError
from community.selectors.personal_controls import my_blocks, my_mutes
from community.services.notifications import is_local_path
from community.services.personal_controls import person_block, person_mute, person_unblock, person_unmute

SERVICES = {"block": person_block, "unblock": person_unblock, "mute": person_mute, "unmute": person_unmute}
DONE = {
    "block": "You've blocked {name}. They won't be told. They can't message you or see your profile, and you won't "
    "see their messages.",
    "unblock": "You've unblocked {name}.",
    "mute": "You've muted {name}. They won't be told, and you won't see their messages.",
    "unmute": "You've unmuted {name}. You'll see their messages again.",
}


def _next_url(request, fallback: str) -> str:
    wanted = request.POST.get("next", "")
    if is_local_path(wanted) and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return fallback


@login_required
@require_POST
def person_control(request, user_id: int, change: str):
    try:
        result = SERVICES[change](actor=request.user, user_id=user_id)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, DONE[change].format(name=result.person.display_name))
    return redirect(_next_url(request, reverse("community:personal-controls")))


@login_required
@require_GET
def personal_controls(request):
    return render(
        request,
        "community/profiles/personal_controls.html",
        {"blocks": list(my_blocks(user=request.user)), "mutes": list(my_mutes(user=request.user))},
    )


urlpatterns = [
    path("me/people/", personal_controls, name="personal-controls"),
    path("people/<int:user_id>/block/", person_control, {"change": "block"}, name="person-block"),
    path("people/<int:user_id>/unblock/", person_control, {"change": "unblock"}, name="person-unblock"),
    path("people/<int:user_id>/mute/", person_control, {"change": "mute"}, name="person-mute"),
    path("people/<int:user_id>/unmute/", person_control, {"change": "unmute"}, name="person-unmute"),
]
