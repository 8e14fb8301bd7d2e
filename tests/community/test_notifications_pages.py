"""The notifications pages: the list, opening one, marking all as read, and email settings."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from community import notification_kinds
from community.models import Notification, NotificationPreference, Profile
from community.notification_kinds import NotificationKind
from community.services.notifications import notify

LIST_URL = reverse("community:notification-list")
SETTINGS_URL = reverse("community:notification-settings")
READ_ALL_URL = reverse("community:notification-read-all")
QUIET = "test_quiet_kind"


@pytest.fixture(autouse=True)
def test_kind(monkeypatch):
    monkeypatch.setitem(notification_kinds._KINDS, QUIET, NotificationKind(QUIET, "A quiet test kind"))


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


def open_url(notification: Notification) -> str:
    return reverse("community:notification-open", args=[notification.pk])


def text(response) -> str:
    return response.content.decode()


def input_tag(page: str, input_id: str) -> str:
    before, after = page.split(f'id="{input_id}"', 1)
    return before.rsplit("<input", 1)[1] + after.split(">", 1)[0]


# --- the list -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST_URL, SETTINGS_URL])
def test_pages_ask_visitors_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("community:login"))


def test_the_list_shows_my_notifications_newest_first_with_unread_ones_marked(logged_in, member, make_user):
    older = notify(user=member, kind=QUIET, title="Older one")
    newer = notify(user=member, kind=QUIET, title="Newer one", body="Some details")
    notify(user=make_user(), kind=QUIET, title="Someone else's")
    older.read_at = older.created_at
    older.save(update_fields=["read_at"])

    response = logged_in.get(LIST_URL)

    page = text(response)
    assert response.status_code == 200
    assert page.count("<h1>") == 1
    assert page.index("Newer one") < page.index("Older one")
    assert "Some details" in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert page.count('class="tag tag-new">New</span>') == 1
    assert "Not read yet" in page
    assert 'class="card unread"' in page
    assert f'action="{open_url(newer)}"' in page
    assert "Mark all as read" in page


def test_the_list_has_a_kind_empty_state(logged_in):
    response = logged_in.get(LIST_URL)
    assert "Nothing here yet" in text(response)
    assert "Mark all as read" not in text(response)


def test_the_list_shows_twenty_a_page(logged_in, member):
    for number in range(25):
        notify(user=member, kind=QUIET, title=f"Note {number:02d}")

    first = text(logged_in.get(LIST_URL))
    second = text(logged_in.get(LIST_URL, {"page": 2}))

    assert first.count('class="notification-title"') == 20
    assert second.count('class="notification-title"') == 5
    assert "Older notifications" in first
    assert "Newer notifications" in second
    assert "Note 24" in first and "Note 00" in second


def test_the_list_page_query_count_does_not_grow(logged_in, member, django_assert_max_num_queries):
    for number in range(3):
        notify(user=member, kind=QUIET, title=f"Few {number}")
    with django_assert_max_num_queries(12) as few:
        logged_in.get(LIST_URL)
    for number in range(30):
        notify(user=member, kind=QUIET, title=f"Many {number}", url="/groups/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        logged_in.get(LIST_URL)


# --- opening one --------------------------------------------------------------------------------------------------


def test_opening_marks_it_read_and_goes_to_its_page(logged_in, member):
    notification = notify(user=member, kind=QUIET, title="Go", url="/groups/art-club/")

    response = logged_in.post(open_url(notification))

    assert response.status_code == 302
    assert response.url == "/groups/art-club/"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/path", "/\\evil.example", "javascript:alert(1)", "groups/"]
)
def test_opening_never_leaves_the_site(logged_in, member, url):
    notification = notify(user=member, kind=QUIET, title="Sneaky", url=url)

    response = logged_in.post(open_url(notification), follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "didn&#x27;t open it" in text(response) or "didn't open it" in text(response)
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_opening_one_without_a_link_just_marks_it_read(logged_in, member):
    notification = notify(user=member, kind=QUIET, title="No link")
    response = logged_in.post(open_url(notification), follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "Marked as read." in text(response)
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_opening_someone_elses_notification_is_refused(logged_in, make_user):
    theirs = notify(user=make_user(), kind=QUIET, title="Private", url="/groups/")

    response = logged_in.post(open_url(theirs), follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "couldn&#x27;t find that notification" in text(response)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_needs_a_post(logged_in, member):
    notification = notify(user=member, kind=QUIET, title="Go", url="/groups/")
    assert logged_in.get(open_url(notification)).status_code == 405
    assert Notification.objects.get(pk=notification.pk).read_at is None


# --- mark all as read ---------------------------------------------------------------------------------------------


def test_mark_all_as_read(logged_in, member, make_user):
    for title in ("One", "Two"):
        notify(user=member, kind=QUIET, title=title)
    theirs = notify(user=make_user(), kind=QUIET, title="Theirs")

    response = logged_in.post(READ_ALL_URL, follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "All caught up" in text(response)
    assert not Notification.objects.unread().filter(user=member).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert "Mark all as read" not in text(response)


def test_mark_all_as_read_when_nothing_is_unread(logged_in):
    response = logged_in.post(READ_ALL_URL, follow=True)
    assert "already all caught up" in text(response)


# --- settings -----------------------------------------------------------------------------------------------------


def test_settings_page_shows_a_choice_per_kind_with_safety_ones_locked_on(logged_in, member):
    NotificationPreference.objects.create(user=member, kind=QUIET, email=True)

    page = text(logged_in.get(SETTINGS_URL))

    assert page.count("<h1>") == 1
    assert page.count("Email me about this") == len(notification_kinds.all_kinds())
    assert "<legend>Security changes to your account</legend>" in page
    safety_box = input_tag(page, "id_email_account_security")
    assert "checked" in safety_box and "disabled" in safety_box
    assert "we always email it" in page
    quiet_box = input_tag(page, f"id_email_{QUIET}")
    assert "checked" in quiet_box and "disabled" not in quiet_box
    assert 'type="time"' in page
    assert '<label for="id_quiet_hours_start">' in page


def test_settings_page_saves_choices_and_quiet_hours(logged_in, member):
    response = logged_in.post(
        SETTINGS_URL,
        {f"email_{QUIET}": "on", "quiet_hours_start": "22:00", "quiet_hours_end": "07:30"},
        follow=True,
    )

    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert "Saved." in text(response)
    assert NotificationPreference.objects.get(user=member, kind=QUIET).email is True
    assert NotificationPreference.objects.get(user=member, kind="welcome").email is False
    assert not NotificationPreference.objects.filter(user=member, kind="account_security").exists()
    profile = Profile.objects.get(user=member)
    assert (profile.quiet_hours_start, profile.quiet_hours_end) == (time(22, 0), time(7, 30))
    assert 'value="22:00"' in text(response)


def test_settings_page_cannot_switch_off_a_safety_email(logged_in, member):
    # A disabled box is ignored even if a tampered form leaves it out.
    logged_in.post(SETTINGS_URL, {"quiet_hours_start": "", "quiet_hours_end": ""})
    page = text(logged_in.get(SETTINGS_URL))
    safety_box = input_tag(page, "id_email_account_security")
    assert "checked" in safety_box


def test_settings_page_explains_half_set_quiet_hours(logged_in, member):
    response = logged_in.post(SETTINGS_URL, {f"email_{QUIET}": "on", "quiet_hours_start": "22:00"})

    assert response.status_code == 200
    page = text(response)
    assert "both a start and an end time" in page
    assert 'aria-invalid="true"' in page
    assert not NotificationPreference.objects.filter(user=member).exists()
    assert Profile.objects.get(user=member).quiet_hours_start is None


def test_settings_page_explains_a_time_it_cannot_read(logged_in, member):
    response = logged_in.post(SETTINGS_URL, {"quiet_hours_start": "25:99", "quiet_hours_end": "07:00"})
    assert response.status_code == 200
    assert "Enter a valid time" in text(response)
