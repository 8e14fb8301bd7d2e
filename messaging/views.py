"""Chat pages: the room list (with conversation requests) and one room.

A room page is server-rendered with its latest messages and a plain form to send, so it works before (and without)
JavaScript; messaging/static/messaging/chat.js then takes over with the socket (docs/realtime.md). Every write goes
through the same services as the REST API and the socket.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from community import permissions as community_permissions
from community.errors import DomainError
from events import permissions as event_permissions
from messaging import permissions, selectors
from messaging.models import REACTIONS, DirectStatus, RoomKind
from messaging.services.direct import direct_accept, direct_decline
from messaging.services.messages import MAX_BODY_CHARS, message_send
from messaging.services.rooms import room_for_event, room_for_group, rooms_ensure_for_user

PAGE_MESSAGES = 50
# Only http and https addresses become links; everything else stays plain text.
LINK_PATTERN = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""


class SendForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MAX_BODY_CHARS,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    image = forms.FileField(required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def text_parts(text: str) -> list[dict]:
    """Split message words into plain text and http(s) links, for templates to escape and link safely."""
    parts: list[dict] = []
    position = 0
    for found in LINK_PATTERN.finditer(text):
        url = found.group(0)
        trimmed = url.rstrip(TRAILING_PUNCTUATION)
        start, end = found.start(), found.start() + len(trimmed)
        if start > position:
            parts.append({"text": text[position:start], "href": None})
        parts.append({"text": trimmed, "href": trimmed})
        position = end
    if position < len(text):
        parts.append({"text": text[position:], "href": None})
    return parts


def _message_view(payload: dict, *, viewer_id: int) -> dict:
    return {
        **payload,
        "created": parse_datetime(payload["created_at"]),
        "parts": text_parts(payload["body"]),
        "is_mine": payload["author"] is not None and payload["author"]["id"] == viewer_id,
        "reactions_view": [
            {**reaction, "mine": viewer_id in reaction["user_ids"]} for reaction in payload["reactions"]
        ],
    }


# --- the room list ----------------------------------------------------------------------------------------------------


@login_required
def room_list(request):
    rooms_ensure_for_user(user=request.user)
    shared, conversations, requests_for_me = [], [], []
    for room in selectors.rooms_for_user(user=request.user):
        item = {
            **selectors.room_payload(room, viewer=request.user),
            "unread_count": room.unread_count,
            "url": reverse("messaging:room", args=[room.pk]),
        }
        if room.kind != RoomKind.DIRECT:
            shared.append(item)
        elif room.direct_status == DirectStatus.REQUESTED and room.requested_by_id != request.user.pk:
            requests_for_me.append(item)
        elif room.direct_status != DirectStatus.DECLINED or room.requested_by_id == request.user.pk:
            conversations.append(item)
    return render(
        request,
        "messaging/room_list.html",
        {"shared_rooms": shared, "conversations": conversations, "requests_for_me": requests_for_me},
    )


@login_required
@require_POST
def direct_answer(request, room_id: int, answer: str):
    try:
        if answer == "accept":
            direct_accept(actor=request.user, room_id=room_id)
            messages.success(request, "You accepted. You can chat now.")
            return redirect("messaging:room", room_id=room_id)
        direct_decline(actor=request.user, room_id=room_id)
        messages.success(request, "You declined. They won't be told why, and they can't message you here.")
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect("messaging:room-list")


# --- one room ---------------------------------------------------------------------------------------------------------


def _room_context(request, room, form: SendForm) -> dict:
    page = selectors.message_history(room=room, viewer=request.user, limit=PAGE_MESSAGES)
    payloads = [selectors.message_payload(message) for message in reversed(page.messages)]
    details = selectors.room_payload(room, viewer=request.user)
    refusal = permissions.post_refusal(request.user, room)
    is_request_for_me = (
        room.is_direct
        and room.direct_status == DirectStatus.REQUESTED
        and permissions.is_direct_recipient(request.user, room)
    )
    return {
        "room": room,
        "details": details,
        "chat_messages": [_message_view(payload, viewer_id=request.user.pk) for payload in payloads],
        "has_older": page.has_more,
        "can_post": refusal is None,
        "refusal": refusal,
        "is_request_for_me": is_request_for_me,
        "form": form,
        "chat_config": {
            "room": room.pk,
            "user": {"id": request.user.pk, "display_name": request.user.display_name},
            "messages": payloads,
            "has_older": page.has_more,
            "can_post": refusal is None,
            "reactions": list(REACTIONS),
            "edit_minutes": permissions.message_edit_minutes(),
            "max_chars": MAX_BODY_CHARS,
            "api": {
                "messages": reverse("api-chat-room-messages", args=[room.pk]),
                "read": reverse("api-chat-room-read", args=[room.pk]),
            },
            # Patterns for the message menu (0 stands for the message's or the person's id).
            "links": {
                "report_message": reverse("messaging:report-message", args=[0]),
                "block": reverse("community:person-block", args=[0]),
                "mute": reverse("community:person-mute", args=[0]),
                # Where a 4428 close sends the person: the updated agreement, then back to this chat.
                "agreements": reverse("community:policies-accept") + "?" + urlencode({"next": request.path}),
            },
        },
    }


def _fresh_form(initial_body: str = "") -> SendForm:
    # A new client_id per page: pressing Send twice (or resending the form) stores the message once.
    return SendForm(initial={"body": initial_body, "client_id": f"page-{uuid.uuid4().hex}"})


@login_required
def room_detail(request, room_id: int):
    room = permissions.access_room(user=request.user, room_id=room_id)
    if request.method == "POST":
        form = SendForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = message_send(
                    actor=request.user,
                    room_id=room.pk,
                    body=form.cleaned_data["body"],
                    client_id=form.cleaned_data["client_id"],
                    image=form.cleaned_data["image"],
                )
            except DomainError as error:
                form.add_error("body", error.detail)
            else:
                messages.success(request, "Sent.")
                return redirect(f"{reverse('messaging:room', args=[room.pk])}#message-{result.message.pk}")
        return render(request, "messaging/room.html", _room_context(request, room, form), status=400)
    return render(request, "messaging/room.html", _room_context(request, room, _fresh_form()))


@login_required
def group_room(request, slug: str):
    group = community_permissions.access_group(user=request.user, slug=slug)
    room = room_for_group(group=group)
    permissions.access_room(user=request.user, room_id=room.pk)
    return redirect("messaging:room", room_id=room.pk)


@login_required
def event_room(request, event_id: int):
    event = event_permissions.access_event(user=request.user, event_id=event_id)
    room = room_for_event(event=event)
    permissions.access_room(user=request.user, room_id=room.pk)
    return redirect("messaging:room", room_id=room.pk)


urlpatterns = [
    path("chat/", room_list, name="room-list"),
    path("chat/<int:room_id>/", room_detail, name="room"),
    path("chat/<int:room_id>/accept/", direct_answer, {"answer": "accept"}, name="direct-accept"),
    path("chat/<int:room_id>/decline/", direct_answer, {"answer": "decline"}, name="direct-decline"),
    path("chat/group/<slug:slug>/", group_room, name="group-room"),
    path("chat/event/<int:event_id>/", event_room, name="event-room"),
]
