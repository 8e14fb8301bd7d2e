"""A copy of my data: exactly my data and nobody else's, every section, my pictures, made in the background."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from community.models import AuditEntry, DataExport, DataExportStatus, Notification
from community.personal_data import personal_data_sections
from community.services.data_export import data_export_build, data_export_request, data_export_zip_write
from community.services.participation import participation_record
from community.services.personal_controls import person_block, person_mute
from community.services.profiles import avatar_set
from events.models import Attendance, CheckInMethod
from messaging.models import Message, MessageEdit, Reaction, ReportReason
from messaging.services.direct import direct_accept, direct_room_open
from messaging.services.messages import message_edit, message_send
from messaging.services.moderation.reports import report_message
from messaging.services.reactions import reaction_toggle
from messaging.services.rooms import room_for_group
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db


def png(name: str, colour=(30, 160, 90)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def unzip(data: bytes) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return json.loads(archive.read("here-and-now-data.json")), archive


def zip_for(user) -> tuple[dict, zipfile.ZipFile]:
    buffer = io.BytesIO()
    data_export_zip_write(user=user, out=buffer)
    return unzip(buffer.getvalue())


@pytest.fixture
def robin_and_kestrel(make_user, group, add_member):
    """Robin and Kestrel in the Art Club chat, at an event together, in a direct conversation; Robin blocked Moth."""
    robin = make_user(display_name="Robin", email="robin@example.org")
    kestrel = make_user(display_name="Kestrel", email="kestrel@example.org", real_name="Kestrel Realname")
    moth = make_user(display_name="Moth")
    add_member(group, robin)
    add_member(group, kestrel)
    room = room_for_group(group=group)
    avatar_set(actor=robin, user=robin, upload=png("me.png"))

    theirs = message_send(actor=kestrel, room_id=room.pk, body="Kestrel's secret words").message
    mine = message_send(actor=robin, room_id=room.pk, body="Robin's first try", image=png("cat.png")).message
    message_edit(actor=robin, message_id=mine.pk, body="Robin's own words")
    reply = message_send(actor=robin, room_id=room.pk, body="Nice one", reply_to_id=theirs.pk).message
    reaction_toggle(actor=robin, message_id=theirs.pk, emoji="👍")
    reaction_toggle(actor=kestrel, message_id=mine.pk, emoji="😂")

    direct = direct_room_open(actor=kestrel, user_id=robin.pk).room
    direct_accept(actor=robin, room_id=direct.pk)
    message_send(actor=robin, room_id=direct.pk, body="Just between us")
    message_send(actor=kestrel, room_id=direct.pk, body="Kestrel's private reply")

    report_message(actor=robin, message_id=theirs.pk, reason=ReportReason.BULLYING, note="This upset me")
    person_block(actor=robin, user_id=moth.pk)
    person_mute(actor=robin, user_id=kestrel.pk)

    event = make_event(group, title="Pizza night", starts_in=timedelta(days=-2))
    for person in (robin, kestrel):
        make_rsvp(event, person)
        Attendance.objects.create(event=event, user=person, method=CheckInMethod.SELF)
        participation_record(
            user=person, activity_key=f"event:{event.pk}", group=group, category="social", occurred_at=event.starts_at
        )
    return {"robin": robin, "kestrel": kestrel, "mine": mine, "theirs": theirs, "reply": reply, "direct": direct}


def test_the_copy_holds_my_data_and_nobody_elses(robin_and_kestrel):
    data, _ = zip_for(robin_and_kestrel["robin"])
    text = json.dumps(data, ensure_ascii=False)

    for someone_elses in ("Kestrel's secret words", "Kestrel's private reply", "kestrel@example.org", "Realname", "😂"):
        assert someone_elses not in text
    messages = data["messages"]["data"]
    assert [m["text"] for m in messages] == ["Robin's own words", "Nice one", "Just between us"]
    assert messages[0]["earlier_versions"][0]["text"] == "Robin's first try"
    assert messages[1]["reply_to_message_id"] == robin_and_kestrel["theirs"].pk
    assert messages[2]["room"] == "Direct conversation"
    assert messages[0]["room"] == "Art Club"
    assert [r["emoji"] for r in data["reactions"]["data"]] == ["👍"]
    assert data["chats"]["data"]["direct_conversations"] == [
        {
            "room_id": robin_and_kestrel["direct"].pk,
            "room": "Direct conversation",
            "you_asked": False,
            "status": "accepted",
            "started_at": data["chats"]["data"]["direct_conversations"][0]["started_at"],
        }
    ]
    [report] = data["reports"]["data"]
    assert report["your_note"] == "This upset me" and report["about"] == "A message" and report["status"] == "open"
    assert data["participation"]["data"]["people_met"] == 1
    assert data["account"]["data"]["email"] == "robin@example.org"
    assert [e["event"] for e in data["attendance"]["data"]] == ["Pizza night"]
    # Whom I blocked or muted is my own choice, so it's in my copy (as are the words of notifications I was sent).
    assert data["people_controls"]["data"]["blocked"][0]["display_name"] == "Moth"
    assert data["people_controls"]["data"]["muted"][0]["display_name"] == "Kestrel"
    del data["people_controls"]
    assert "Kestrel" not in json.dumps(data, ensure_ascii=False)


def test_every_section_is_there_and_the_ones_not_in_the_download_say_what_they_are(member):
    data, archive = zip_for(member)

    assert list(data) == [section.key for section in personal_data_sections()]
    assert data["safeguarding"]["included"] is False and "data" not in data["safeguarding"]
    assert data["safeguarding"]["what"].startswith("If someone was worried")
    assert data["account"]["included"] is True
    assert "Your data from Here and Now" in archive.read("README.txt").decode()


def test_my_pictures_are_in_the_copy_and_open_as_images(robin_and_kestrel):
    data, archive = zip_for(robin_and_kestrel["robin"])

    picture = data["profile"]["data"]["picture"]
    sent = data["messages"]["data"][0]["picture"]
    images = sorted(name for name in archive.namelist() if name.startswith("images/"))
    assert images == sorted([picture, sent])
    for name in images:
        assert Image.open(io.BytesIO(archive.read(name))).size[0] > 0


def test_asking_makes_the_copy_in_the_background_then_tells_me(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(actor=member)
    assert export.status == DataExportStatus.PENDING  # as the page first shows it

    export.refresh_from_db()
    assert export.status == DataExportStatus.READY
    assert export.expires_at - export.ready_at == timedelta(days=7)
    assert export.size_bytes == storages["exports"].size(export.file_name)
    assert len(export.file_name) > 40  # an unguessable name
    notification = Notification.objects.get(user=member, kind="data_export_ready")
    assert notification.url == "/me/data/"
    with storages["exports"].open(export.file_name) as stored:
        data, _ = unzip(stored.read())
    assert data["account"]["data"]["display_name"] == member.display_name


def test_a_made_copy_is_not_made_again(member):
    export = data_export_request(actor=member)
    data_export_build(export_id=export.pk)
    first = DataExport.objects.get(pk=export.pk)

    data_export_build(export_id=export.pk)

    assert DataExport.objects.get(pk=export.pk).file_name == first.file_name
    assert Notification.objects.filter(user=member, kind="data_export_ready").count() == 1


def test_when_making_it_goes_wrong_the_export_says_so(member, monkeypatch, caplog):
    export = data_export_request(actor=member)

    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setattr("community.personal_data.PersonalDataSection.export", lambda self, user: broken(user))
    data_export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == DataExportStatus.FAILED
    assert "Could not make data export" in caplog.text
    assert not Notification.objects.filter(user=member, kind="data_export_ready").exists()


def test_one_copy_is_made_at_a_time(member):
    first = data_export_request(actor=member)
    again = data_export_request(actor=member)

    assert again.pk == first.pk
    assert DataExport.objects.filter(user=member).count() == 1


def test_three_copies_a_day_at_most(member):
    for _ in range(3):
        data_export_build(export_id=data_export_request(actor=member).pk)

    with pytest.raises(Exception) as refused:
        data_export_request(actor=member)
    assert refused.value.code == "rate_limited"
    assert DataExport.objects.filter(user=member).count() == 3


def test_evaluators_can_have_a_copy_of_their_own_data_too(evaluator):
    export = data_export_build(export_id=data_export_request(actor=evaluator).pk)
    assert export.status == DataExportStatus.READY


def test_making_a_copy_takes_the_same_number_of_queries_however_much_there_is(robin_and_kestrel):
    robin, room_id = robin_and_kestrel["robin"], robin_and_kestrel["mine"].room_id

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            zip_for(robin)
        return len(captured)

    few = queries()
    for n in range(10):  # straight into the tables: the chat's rate limits don't matter here
        message = Message.objects.create(room_id=room_id, author=robin, body=f"More {n}, edited")
        message.image.save(f"{n}.png", png(f"{n}.png"))
        MessageEdit.objects.create(message=message, previous_body=f"More {n}", edited_by=robin)
        Reaction.objects.create(message=message, user=robin, emoji="👍")
    assert queries() == few
    assert few < 45


def test_the_operator_command_writes_the_same_zip_and_records_it(robin_and_kestrel, tmp_path):
    from django.core.management import call_command

    output = tmp_path / "sar.zip"
    call_command("export_member_data", email="ROBIN@example.org", output=str(output), stdout=io.StringIO())

    data, archive = unzip(output.read_bytes())
    assert data["account"]["data"]["email"] == "robin@example.org"
    assert any(name.startswith("images/messages/") for name in archive.namelist())
    entry = AuditEntry.objects.get(action="data.exported_by_operator")
    assert entry.target_id == str(robin_and_kestrel["robin"].pk)
    assert not Notification.objects.filter(kind="data_export_ready").exists()
