""" "What we keep about you": made from the same list the export and erasure follow (community.personal_data)."""

from __future__ import annotations

from django.utils.html import escape

from community.personal_data import personal_data_sections


def test_every_section_of_the_list_is_on_the_page_in_plain_words(client, member):
    client.force_login(member)
    response = client.get("/me/data/what-we-keep/")
    assert response.status_code == 200
    page = response.content.decode()
    sections = personal_data_sections()
    assert len(sections) > 5
    for section in sections:
        for text in (section.title, section.what, section.why, section.how_long, section.on_erasure):
            assert escape(text) in page, (section.key, text)
    assert page.count("<h2 ") == len(sections)


def test_anyone_can_read_it_and_the_privacy_notice_links_to_it(client, db):
    assert client.get("/me/data/what-we-keep/").status_code == 200
    assert 'href="/me/data/what-we-keep/"' in client.get("/privacy/").content.decode()


def test_the_url_name_is_what_other_pages_link_by():
    from django.urls import reverse

    assert reverse("community:what-we-keep") == "/me/data/what-we-keep/"
