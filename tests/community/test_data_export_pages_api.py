"""The "Your data" page, the download and the API: what a member sees and who can download what."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import DataExport, DataExportStatus
from community.services.data_export import data_export_build, data_export_request

pytestmark = pytest.mark.django_db


def ready_export(user) -> DataExport:
    return data_export_build(export_id=data_export_request(actor=user).pk)


def download_body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- the page ---------------------------------------------------------------------------------------------------------


def test_the_page_offers_a_copy_and_the_other_rights(client, member):
    client.force_login(member)
    page = client.get("/me/data/").content.decode()

    assert "Ask for a copy of my data" in page
    for link in ('href="/me/data/what-we-keep/"', 'href="/me/data/delete/"', 'href="/me/consent/"', 'href="/me/"'):
        assert link in page
    assert 'href="/me/data/"' in client.get("/me/").content.decode()  # from the profile's settings links


def test_asking_on_the_page_makes_the_copy_and_shows_the_download(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/me/data/exports/")
    assert response["Location"] == "/me/data/"

    page = client.get("/me/data/").content.decode()
    assert "making your copy now" in page  # the message after asking
    export = DataExport.objects.get(user=member)
    assert export.status == DataExportStatus.READY
    assert f"/me/data/exports/{export.pk}/download/" in page
    assert "The link works until" in page


def test_while_a_copy_is_being_made_the_page_says_so_and_offers_no_second_one(client, member):
    data_export_request(actor=member)
    client.force_login(member)
    page = client.get("/me/data/").content.decode()

    assert "making your copy now" in page
    assert "Ask for a new copy" not in page and "/download/" not in page


def test_a_fourth_copy_in_a_day_is_refused_kindly(client, member):
    for _ in range(3):
        ready_export(member)
    client.force_login(member)
    page = client.post("/me/data/exports/", follow=True).content.decode()

    assert "asked for 3 copies today" in page
    assert DataExport.objects.filter(user=member).count() == 3


def test_the_owner_downloads_the_zip_and_it_is_not_cached(client, member):
    export = ready_export(member)
    client.force_login(member)
    response = client.get(f"/me/data/exports/{export.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="here-and-now-data-')
    archive = zipfile.ZipFile(io.BytesIO(download_body(response)))
    assert json.loads(archive.read("here-and-now-data.json"))["account"]["data"]["email"] == member.email
    export.refresh_from_db()
    assert export.downloaded_at is not None


def test_nobody_else_can_download_it_not_even_staff(client, member, staff, make_user):
    export = ready_export(member)
    for other in (make_user(display_name="Nosy"), staff):
        client.force_login(other)
        assert client.get(f"/me/data/exports/{export.pk}/download/").status_code == 404
    client.logout()
    assert client.get(f"/me/data/exports/{export.pk}/download/").status_code == 302  # to log in


def test_an_expired_link_is_gone_and_the_page_says_what_to_do(client, member):
    export = ready_export(member)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(member)

    response = client.get(f"/me/data/exports/{export.pk}/download/")
    assert response.status_code == 410
    assert "This download has run out" in response.content.decode()
    page = client.get("/me/data/").content.decode()
    assert "has run out" in page and "Ask for a new copy" in page and "/download/" not in page


# --- the API ----------------------------------------------------------------------------------------------------------


def test_api_ask_then_list_then_download(api_as, member, django_capture_on_commit_callbacks):
    api = api_as(member)
    with django_capture_on_commit_callbacks(execute=True):
        asked = api.post("/api/v1/me/exports/")
    assert asked.status_code == 202
    export_id = asked.json()["id"]

    [row] = api.get("/api/v1/me/exports/").json()["results"]
    assert row["id"] == export_id and row["status"] == "ready"
    assert row["download_url"] == f"/api/v1/me/exports/{export_id}/download/"
    assert api.get(f"/api/v1/me/exports/{export_id}/").json()["expires_at"] == row["expires_at"]

    response = api.get(row["download_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "here-and-now-data.json" in zipfile.ZipFile(io.BytesIO(download_body(response))).namelist()


def test_api_refusals_have_codes(api_as, member):
    api = api_as(member)
    pending = api.post("/api/v1/me/exports/").json()
    refused = api.get(f"/api/v1/me/exports/{pending['id']}/download/")
    assert (refused.status_code, refused.json()["code"]) == (409, "export_not_ready")

    export = data_export_build(export_id=pending["id"])
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    gone = api.get(f"/api/v1/me/exports/{export.pk}/download/")
    assert (gone.status_code, gone.json()["code"]) == (410, "export_expired")
    assert api.get(f"/api/v1/me/exports/{export.pk}/").json()["status"] == "expired"

    for _ in range(2):
        ready_export(member)
    limited = api.post("/api/v1/me/exports/")
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert int(limited["Retry-After"]) > 0
