"""Who can see whom: the people selector, the person page and the permission-checked avatar view."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import Image

from community.errors import Forbidden, NotFound
from community.models import AgeBand, MembershipStatus, Profile, ProfileVisibility, User
from community.selectors.people import groups_in_common, people_for_staff, profile_for_viewer
from community.services.profiles import avatar_set, privacy_update, profile_update

pytestmark = pytest.mark.django_db


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 100, 0)).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def person(make_user, group, add_member):
    """Robin's co-member, with a real name and a picture."""
    user = make_user(display_name="Casey", real_name="Casey Jones")
    add_member(group, user)
    profile_update(actor=user, user=user, bio="Hi, I'm Casey.", interests=["Skating"])
    avatar_set(actor=user, user=user, upload=png_upload())
    return User.objects.select_related("profile").get(pk=user.pk)


@pytest.fixture
def co_member(make_user, group, add_member):
    user = make_user(display_name="Dee")
    add_member(group, user)
    return user


@pytest.fixture
def stranger(make_user, make_group, add_member):
    user = make_user(display_name="Stranger")
    add_member(make_group(), user)
    return user


# --- the selector ---------------------------------------------------------------------------


def test_co_member_sees_the_profile_without_the_real_name(person, co_member, group):
    view = profile_for_viewer(viewer=co_member, user_id=person.pk)
    assert view.person == person
    assert view.profile.bio == "Hi, I'm Casey."
    assert view.show_real_name is False
    assert view.real_name == ""
    assert view.groups_in_common == [group]
    assert view.is_self is False


def test_stranger_cannot_see_the_profile(person, stranger):
    with pytest.raises(NotFound) as error:
        profile_for_viewer(viewer=stranger, user_id=person.pk)
    assert error.value.code == "person_not_found"


def test_unknown_person_looks_the_same_as_a_hidden_one(stranger):
    with pytest.raises(NotFound) as error:
        profile_for_viewer(viewer=stranger, user_id=999_999)
    assert error.value.code == "person_not_found"


def test_stranger_sees_an_adult_who_chose_all_members(person, stranger):
    person.age_band = AgeBand.ADULT
    person.save()
    privacy_update(actor=person, user=person, profile_visibility=ProfileVisibility.ALL_MEMBERS)
    view = profile_for_viewer(viewer=stranger, user_id=person.pk)
    assert view.person == person
    assert view.groups_in_common == []


def test_staff_see_the_profile_and_the_real_name(person, staff):
    view = profile_for_viewer(viewer=staff, user_id=person.pk)
    assert view.show_real_name is True
    assert view.real_name == "Casey Jones"


def test_moderator_sees_the_profile_but_not_the_real_name(person, moderator):
    view = profile_for_viewer(viewer=moderator, user_id=person.pk)
    assert view.show_real_name is False


def test_you_see_your_own_real_name(person):
    view = profile_for_viewer(viewer=person, user_id=person.pk)
    assert view.is_self is True
    assert view.real_name == "Casey Jones"


def test_evaluator_never_sees_people(person, evaluator, group, add_member):
    add_member(group, evaluator)
    with pytest.raises(NotFound):
        profile_for_viewer(viewer=evaluator, user_id=person.pk)


def test_groups_in_common_only_counts_active_memberships_and_active_groups(
    person, co_member, make_group, add_member, django_assert_max_num_queries
):
    shared_then_left = make_group(name="Cooking")
    add_member(shared_then_left, person)
    add_member(shared_then_left, co_member, status=MembershipStatus.LEFT)
    archived = make_group(name="Old group", is_archived=True)
    add_member(archived, person)
    add_member(archived, co_member)
    pending = make_group(name="Pending")
    add_member(pending, person, status=MembershipStatus.PENDING)
    add_member(pending, co_member)

    view = profile_for_viewer(viewer=co_member, user_id=person.pk)
    assert [group.name for group in view.groups_in_common] == ["Art Club"]

    with django_assert_max_num_queries(1):
        groups_in_common(viewer=co_member, person=person)


def test_people_for_staff_searches_and_refuses_others(staff, member, person, make_user):
    make_user(display_name="Someone", email="hidden-match@example.org")
    assert list(people_for_staff(viewer=staff, search="casey")) == [person]
    assert list(people_for_staff(viewer=staff, search="JONES")) == [person]
    assert [p.display_name for p in people_for_staff(viewer=staff, search="hidden-match")] == ["Someone"]
    assert people_for_staff(viewer=staff).count() == 4
    with pytest.raises(Forbidden) as error:
        people_for_staff(viewer=member)
    assert error.value.code == "not_staff"


# --- the person page ------------------------------------------------------------------------


def test_person_page_for_a_co_member(client, person, co_member):
    client.force_login(co_member)
    response = client.get(reverse("community:person-detail", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Casey</h1>" in body
    assert "Hi, I&#x27;m Casey." in body
    assert "Skating" in body
    assert "Art Club" in body
    assert "Casey Jones" not in body
    assert reverse("community:avatar", args=[person.pk]) in body


def test_person_page_shows_the_real_name_to_staff(client, person, staff):
    client.force_login(staff)
    body = client.get(reverse("community:person-detail", args=[person.pk])).content.decode()
    assert "Casey Jones" in body
    assert "only staff can see this" in body


def test_person_page_is_not_found_for_a_stranger_and_an_evaluator(client, person, stranger, evaluator):
    for viewer in (stranger, evaluator):
        client.force_login(viewer)
        response = client.get(reverse("community:person-detail", args=[person.pk]))
        assert response.status_code == 404
        assert "Casey" not in response.content.decode()
        assert "couldn&#x27;t find that person" in response.content.decode()


def test_person_page_needs_login(client, person):
    response = client.get(reverse("community:person-detail", args=[person.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("community:login"))


def test_own_page_invites_you_to_edit(client, person):
    client.force_login(person)
    body = client.get(reverse("community:person-detail", args=[person.pk])).content.decode()
    assert "how your profile looks to other people" in body
    assert reverse("community:profile-edit") in body


# --- the avatar view ------------------------------------------------------------------------


def test_avatar_is_streamed_privately_to_a_co_member(client, person, co_member):
    client.force_login(co_member)
    response = client.get(reverse("community:avatar", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/webp", "image/jpeg")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.size[0] == image.size[1]


@pytest.mark.parametrize("viewer_fixture", ["stranger", "evaluator", None])
def test_avatar_is_not_found_for_people_who_may_not_see_the_profile(request, client, person, viewer_fixture):
    if viewer_fixture:
        client.force_login(request.getfixturevalue(viewer_fixture))
    response = client.get(reverse("community:avatar", args=[person.pk]))
    assert response.status_code == 404


def test_avatar_for_staff_and_for_yourself(client, person, staff):
    for viewer in (staff, person):
        client.force_login(viewer)
        assert client.get(reverse("community:avatar", args=[person.pk])).status_code == 200


def test_no_avatar_is_not_found(client, co_member, person):
    client.force_login(person)
    assert client.get(reverse("community:avatar", args=[co_member.pk])).status_code == 404


def test_avatar_include_shows_a_picture_or_a_letter(person, co_member):
    with_picture = render_to_string("community/people/_avatar.html", {"person": person, "size": 40})
    assert f'src="{reverse("community:avatar", args=[person.pk])}?v=' in with_picture
    assert 'alt="Casey\'s picture"' in with_picture
    assert 'width="40"' in with_picture

    placeholder = render_to_string("community/people/_avatar.html", {"person": co_member, "size": 40})
    assert "<img" not in placeholder
    assert ">D</text>" in placeholder
    assert 'aria-label="Dee"' in placeholder

    decorative = render_to_string("community/people/_avatar.html", {"person": person, "size": 40, "decorative": True})
    assert 'alt=""' in decorative
    assert Profile.objects.get(user=person).avatar
