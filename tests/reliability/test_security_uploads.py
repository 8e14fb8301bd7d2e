"""Uploads through the real endpoints (a profile picture and a chat picture, both by the API): hostile files are
refused with a stable code, and what is kept is a fresh re-encoding with nothing of the upload's extras (no EXIF, no
GPS, no comment, no bytes after the picture). tests/community/test_images.py tests the hardening function itself;
this is the same corpus at the doors people use, with SVG, HTML and polyglots added."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from community.images import ACCEPTED_FORMATS
from messaging.models import Message
from messaging.services.rooms import room_for_group
from tests.community.test_images import decompression_bomb_png, gps_tagged_jpeg, image_bytes

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script><rect/></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SCRIPT_TAIL = b"<script>alert(document.cookie)</script>"


def _zip_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.html", HTML)
    return buffer.getvalue()


# name -> (bytes, file name, declared type)
REFUSED = {
    "SVG with a script": (SVG, "me.svg", "image/svg+xml"),
    "SVG named .png": (SVG, "me.png", "image/png"),
    "HTML named .jpg": (HTML, "me.jpg", "image/jpeg"),
    "GIF named .jpg": (image_bytes("GIF"), "me.jpg", "image/jpeg"),
    "BMP named .png": (image_bytes("BMP"), "me.png", "image/png"),
    "TIFF named .jpg": (image_bytes("TIFF"), "me.jpg", "image/jpeg"),
    "PDF named .png": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "me.png", "image/png"),
    "zip named .png": (_zip_bytes(), "me.png", "image/png"),
    "decompression bomb": (decompression_bomb_png(), "bomb.png", "image/png"),
    "empty file": (b"", "me.jpg", "image/jpeg"),
    "truncated JPEG": (image_bytes("JPEG")[:200], "me.jpg", "image/jpeg"),
}
REFUSAL_CODES = {"unsupported_image", "image_unreadable", "image_too_large", "image_too_many_pixels", "invalid"}


def _polyglot() -> bytes:
    """A real JPEG with HTML and a zip after its end: a browser sniffing it, or an unzip tool, would find them."""
    return image_bytes("JPEG") + SCRIPT_TAIL + _zip_bytes()


KEPT_CLEAN = {
    "JPEG with GPS, make, model and a comment": (gps_tagged_jpeg(), "me.jpg", "image/jpeg"),
    "JPEG polyglot (HTML and a zip appended)": (_polyglot(), "me.jpg", "image/jpeg"),
    "PNG with a text chunk holding a script": (None, "me.png", "image/png"),
    "JPEG named .png": (image_bytes("JPEG"), "me.png", "image/png"),
}


def _png_with_text() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT_TAIL.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


KEPT_CLEAN["PNG with a text chunk holding a script"] = (_png_with_text(), "me.png", "image/png")


@pytest.fixture
def chat_room(member, group, add_member):
    add_member(group, member)
    return room_for_group(group=group)


def put_avatar(member, data, name, content_type):
    client = APIClient()
    client.force_authenticate(member)
    return client.put("/api/v1/me/avatar/", {"avatar": SimpleUploadedFile(name, data, content_type=content_type)},
                      format="multipart")  # fmt: skip


def post_chat_image(member, room, data, name, content_type):
    client = APIClient()
    client.force_authenticate(member)
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(f"/api/v1/rooms/{room.pk}/messages/", {"body": "Look", "client_id": "up-1", "image": upload},
                       format="multipart")  # fmt: skip


def stored_avatar(member) -> bytes:
    member.profile.refresh_from_db()
    with member.profile.avatar.open("rb") as handle:
        return handle.read()


def stored_chat_image() -> bytes:
    message = Message.objects.get(client_id="up-1")
    with message.image.open("rb") as handle:
        return handle.read()


def assert_clean(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format in ACCEPTED_FORMATS
    assert not image.getexif(), "EXIF kept"
    assert not image.info.get("exif") and not image.info.get("comment"), "metadata kept"
    assert not any(isinstance(v, str) and "<script" in v for v in image.info.values()), "a text chunk kept"
    assert b"<script" not in data and b"PK\x03\x04" not in data, "bytes after the picture kept"
    assert b"PhoneMaker" not in data


@pytest.mark.parametrize("name", list(REFUSED))
def test_hostile_avatar_is_refused(member, name):
    response = put_avatar(member, *REFUSED[name])
    assert response.status_code in (400, 413), (name, response.status_code)
    assert response.json()["code"] in REFUSAL_CODES, response.json()
    member.profile.refresh_from_db()
    assert not member.profile.avatar


@pytest.mark.parametrize("name", list(REFUSED))
def test_hostile_chat_image_is_refused(member, chat_room, name):
    response = post_chat_image(member, chat_room, *REFUSED[name])
    assert response.status_code in (400, 413), (name, response.status_code)
    assert response.json()["code"] in REFUSAL_CODES, response.json()
    assert not Message.objects.filter(client_id="up-1").exists()


@pytest.mark.parametrize("name", list(KEPT_CLEAN))
def test_avatar_is_kept_as_a_clean_re_encoding(member, name):
    response = put_avatar(member, *KEPT_CLEAN[name])
    assert response.status_code == 200, response.json()
    assert_clean(stored_avatar(member))


@pytest.mark.parametrize("name", list(KEPT_CLEAN))
def test_chat_image_is_kept_as_a_clean_re_encoding(member, chat_room, name):
    response = post_chat_image(member, chat_room, *KEPT_CLEAN[name])
    assert response.status_code == 201, response.json()
    assert_clean(stored_chat_image())


def test_a_picture_is_served_as_a_picture_never_sniffed(client, member):
    put_avatar(member, *KEPT_CLEAN["JPEG polyglot (HTML and a zip appended)"])
    client.force_login(member)
    response = client.get(f"/people/{member.pk}/avatar/")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/jpeg", "image/png", "image/webp")
    assert response["X-Content-Type-Options"] == "nosniff"
