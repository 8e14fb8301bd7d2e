"""The foundation's journeys, as a young person on a phone would do them, each page scanned with axe-core."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from PIL import Image

from community.models import Invitation, JoinPolicy, Membership, MembershipStatus, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def invitation(staff, make_group):
    group = make_group(name="Friday Social", slug="friday-social", join_policy=JoinPolicy.OPEN)
    return Invitation.objects.create(
        code="HN-QRSTUVWX", created_by=staff, group=group, max_uses=3,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )  # fmt: skip


def test_sign_up_with_an_invitation(page, axe_check, invitation):
    page.goto("/")
    page.get_by_role("link", name="Join with a code").first.click()
    axe_check(page)
    page.get_by_label("Your invitation code").fill("hn qrst uvwx")
    page.get_by_role("button", name="Check my code").click()

    assert "Friday Social" in page.content()
    axe_check(page)
    page.get_by_label("What should people call you?").fill("Starling")
    page.get_by_label("Your email address").fill("starling@example.org")
    page.get_by_label("Choose a password").fill("sunlight-over-the-canal")
    page.get_by_label("18 to 25").check()
    page.get_by_label("Yes, I'm care-experienced").check()
    page.get_by_label("I've read the community agreement and the privacy notice").check()
    page.get_by_role("button", name="Join Here and Now").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Hi Starling"
    axe_check(page)
    person = User.objects.get(email="starling@example.org")
    assert Membership.objects.get(user=person).group == invitation.group
    invitation.refresh_from_db()
    assert invitation.use_count == 1


def test_a_used_up_code_is_explained_kindly(page, invitation):
    invitation.use_count = invitation.max_uses
    invitation.save(update_fields=["use_count"])
    page.goto("/join/")
    page.get_by_label("Your invitation code").fill(invitation.code)
    page.get_by_role("button", name="Check my code").click()
    assert "used" in page.get_by_role("main").inner_text().lower()
    assert not User.objects.filter(email="starling@example.org").exists()


def _photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 80, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_edit_profile_with_a_picture(page, axe_check, log_in, member):
    log_in(member.email)
    page.get_by_role("link", name="Me").click()
    axe_check(page)
    page.get_by_label("Pronouns").fill("they/them")
    page.get_by_label("About me").fill("I like drawing and long walks.")
    page.get_by_label("Profile picture").set_input_files(
        {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": _photo_bytes()}
    )
    page.get_by_role("button", name="Save my profile").click()

    assert "saved" in page.get_by_role("status").inner_text().lower()
    axe_check(page)
    member.profile.refresh_from_db()
    assert member.profile.pronouns == "they/them"
    assert member.profile.avatar.name
    page.goto("/me/privacy/")
    axe_check(page)


def test_find_and_join_a_group(page, axe_check, log_in, member, make_group):
    make_group(name="Creative Corner", slug="creative-corner", join_policy=JoinPolicy.OPEN)
    make_group(name="Cooking on a Budget", slug="cooking", join_policy=JoinPolicy.REQUEST)
    log_in(member.email)
    page.get_by_role("link", name="Groups").first.click()
    axe_check(page)
    page.get_by_role("link", name="Creative Corner").click()
    axe_check(page)
    page.get_by_role("button", name="Join Creative Corner").click()
    assert Membership.objects.get(user=member, group__slug="creative-corner").status == MembershipStatus.ACTIVE
    assert page.get_by_role("link", name="Leave this group").is_visible()

    page.goto("/groups/cooking/")
    page.get_by_role("button", name="Ask to join Cooking on a Budget").click()
    assert Membership.objects.get(user=member, group__slug="cooking").status == MembershipStatus.PENDING
    axe_check(page)


def test_notifications_page_passes_axe(page, axe_check, log_in, member):
    log_in(member.email)
    page.goto("/notifications/")
    axe_check(page)
    page.goto("/notifications/settings/")
    axe_check(page)


def test_leader_pages_pass_axe(page, axe_check, log_in, leader, group, make_user, add_member):
    add_member(group, make_user(display_name="Wants In"), status=MembershipStatus.PENDING)
    log_in(leader.email)
    page.goto(f"/groups/{group.slug}/members/")
    axe_check(page)
    page.get_by_role("button", name="Say yes to Wants In").click()
    assert Membership.objects.get(user__display_name="Wants In").status == MembershipStatus.ACTIVE
    page.goto("/invitations/")
    axe_check(page)
    page.get_by_role("button", name="Make the code").click()
    assert Invitation.objects.filter(created_by=leader, group=group).exists()
    axe_check(page)
