"""The chat admin: staff can look up rooms and messages (with their edit history); nobody changes them there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging.models import Message
from messaging.services.messages import message_edit, message_send

pytestmark = pytest.mark.django_db


def test_staff_see_a_message_with_its_earlier_words(client, staff, in_group, room):
    message = message_send(actor=in_group, room_id=room.pk, body="First words").message
    message_edit(actor=in_group, message_id=message.pk, body="Second words")
    client.force_login(staff)

    page = client.get(reverse("admin:messaging_message_change", args=[message.pk]))

    assert page.status_code == 200
    assert "First words" in page.content.decode()
    listing = client.get(reverse("admin:messaging_message_changelist"), {"q": "Second"})
    assert "Second words" in listing.content.decode()


def test_the_admin_cannot_add_change_or_delete_messages(client, staff, in_group, room):
    message = message_send(actor=in_group, room_id=room.pk, body="Keep me").message
    client.force_login(staff)

    assert client.get(reverse("admin:messaging_message_add")).status_code == 403
    client.post(reverse("admin:messaging_message_change", args=[message.pk]), {"body": "Changed"})
    client.post(reverse("admin:messaging_message_delete", args=[message.pk]), {"post": "yes"})

    assert Message.objects.get(pk=message.pk).body == "Keep me"


def test_members_cannot_open_the_chat_admin(client, in_group):
    client.force_login(in_group)
    response = client.get(reverse("admin:messaging_message_changelist"))
    assert response.status_code == 302
