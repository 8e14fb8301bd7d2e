"""The wellbeing pages: the check-in form, my check-ins with delete, consent and the invitation switch."""

import pytest
from django.urls import reverse

from community import reference, scoring
from community.models import EvaluationConsent, WellbeingCheckIn, WellbeingSettings
from community.services.wellbeing import checkin_record

pytestmark = pytest.mark.django_db

CHECKIN = reverse("community:wellbeing-checkin")
LIST = reverse("community:wellbeing-checkins")
CONSENT = reverse("community:wellbeing-consent")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def test_the_check_in_shows_every_question_with_the_published_answer_words_and_the_licence(signed_in):
    page = signed_in.get(CHECKIN).content.decode()
    for item in reference.swemwbs_items():
        assert item["statement"].replace("'", "&#x27;") in page
    for _, label in reference.SWEMWBS_ANSWERS:
        assert f"<span>{label}</span>" in page
    for question in reference.ons4_questions():
        assert question["question"] in page
    for question in reference.loneliness_questions():
        assert question["question"] in page
        for _, label in question["answers"]:
            assert f"<span>{label}</span>" in page
    assert scoring.SWEMWBS_LICENCE in page
    assert "Only you can see your check-ins" in page
    assert page.count('type="radio"') == 7 * 6 + 4 * 12 + 3 * 4 + 6


def test_sending_some_answers_saves_a_check_in_and_lists_it(signed_in, member):
    answers = {f"swemwbs_{n}": "4" for n in range(1, 8)} | {"ons_happiness": "8", "lonely_direct": "never"}
    response = signed_in.post(CHECKIN, answers, follow=True)
    checkin = WellbeingCheckIn.objects.get(user=member)
    assert str(checkin.swemwbs_metric) == str(scoring.swemwbs_metric(28))
    assert response.redirect_chain[-1][0] == LIST
    page = response.content.decode()
    assert "Your check-in is saved" in page
    assert str(checkin.swemwbs_metric) in page and "Never" in page
    assert scoring.SWEMWBS_LICENCE in page


def test_sending_nothing_keeps_you_on_the_form_with_a_kind_word(signed_in):
    response = signed_in.post(CHECKIN, {"ons_happiness": ""})
    assert response.status_code == 400
    assert "nothing to save yet" in response.content.decode()
    assert not WellbeingCheckIn.objects.exists()


@pytest.mark.parametrize("odd", ["²", "x", "-1", "1.5", "3 4"])
def test_an_odd_answer_is_refused_kindly_not_a_server_error(signed_in, odd):
    response = signed_in.post(CHECKIN, {"swemwbs_1": odd})
    assert response.status_code == 400
    assert not WellbeingCheckIn.objects.exists()


def test_a_wrong_answer_keeps_the_chosen_answers(signed_in):
    response = signed_in.post(CHECKIN, {"swemwbs_1": "2", "ons_anxiety": "12"})
    assert response.status_code == 400
    assert 'name="swemwbs_1" value="2" checked' in response.content.decode()


def test_deleting_asks_first_then_deletes(signed_in, member):
    checkin = checkin_record(actor=member, answers={"ons_happiness": 5})
    url = reverse("community:wellbeing-checkin-delete", args=[checkin.pk])
    confirm = signed_in.get(url)
    assert "Delete this check-in?" in confirm.content.decode()
    assert WellbeingCheckIn.objects.exists()
    signed_in.post(url)
    assert not WellbeingCheckIn.objects.exists()


def test_someone_elses_check_in_cannot_be_reached(signed_in, make_user):
    checkin = checkin_record(actor=make_user(), answers={"ons_happiness": 5})
    url = reverse("community:wellbeing-checkin-delete", args=[checkin.pk])
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url).status_code == 404
    assert WellbeingCheckIn.objects.filter(pk=checkin.pk).exists()


def test_consent_page_explains_the_choice_and_defaults_to_no(signed_in, member):
    page = signed_in.get(CONSENT).content.decode()
    assert "never show your name" in page
    assert "figures made from then on" in page
    assert 'value="no" checked' in page
    signed_in.post(CONSENT, {"consents": "yes"})
    assert EvaluationConsent.objects.get(user=member).consents is True
    assert 'value="yes" checked' in signed_in.get(CONSENT).content.decode()


def test_the_invitation_switch_turns_invitations_off(signed_in, member):
    signed_in.post(reverse("community:wellbeing-invitations"), {"invitations_on": "off"})
    assert WellbeingSettings.objects.get(user=member).invitations_on is False
    assert 'value="off" checked' in signed_in.get(LIST).content.decode()


def test_evaluators_get_a_kind_refusal_and_visitors_are_asked_to_log_in(client, evaluator):
    assert client.get(CHECKIN).status_code == 302
    client.force_login(evaluator)
    for url in (CHECKIN, LIST, CONSENT):
        assert client.get(url).status_code == 403


def test_the_me_page_links_to_the_wellbeing_pages(signed_in):
    page = signed_in.get(reverse("community:profile-edit")).content.decode()
    for url in (CHECKIN, LIST, CONSENT):
        assert f'href="{url}"' in page
