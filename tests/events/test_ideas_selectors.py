"""Idea reads: most backed first, my_backing, states, and a query count that does not grow with the rows."""

import pytest

from community.errors import DomainError
from events.selectors_ideas import idea_detail, ideas_for_group
from events.services.ideas import idea_back, idea_close, idea_comment, idea_propose
from tests.events.test_ideas_urls import URLCONF

pytestmark = pytest.mark.urls(URLCONF)


@pytest.fixture
def people(make_user, group, add_member):
    users = [make_user(display_name=f"Person{n}") for n in range(5)]
    for user in users:
        add_member(group, user)
    return users


def test_ideas_are_ordered_by_backing_count_then_newest(people, group):
    author, *others = people
    quiet = idea_propose(actor=author, group=group, title="Quiet")
    popular = idea_propose(actor=author, group=group, title="Popular")
    middling = idea_propose(actor=author, group=group, title="Middling")
    newest_unbacked = idea_propose(actor=author, group=group, title="Newest")
    for user in others[:3]:
        idea_back(actor=user, idea=popular)
    idea_back(actor=others[0], idea=middling)
    idea_comment(actor=others[0], idea=middling, body="Yes")
    idea_comment(actor=others[1], idea=middling, body="Me too")

    ideas = list(ideas_for_group(user=others[0], group=group))

    assert [idea.title for idea in ideas] == ["Popular", "Middling", "Newest", "Quiet"]
    assert [idea.backing_count for idea in ideas] == [3, 1, 0, 0]
    assert [idea.comment_count for idea in ideas] == [0, 2, 0, 0]
    assert [idea.my_backing for idea in ideas] == [True, True, False, False]
    assert quiet.pk == ideas[-1].pk and newest_unbacked.pk == ideas[2].pk


def test_my_backing_is_per_person(people, group):
    author, backer, other, *_ = people
    idea = idea_propose(actor=author, group=group, title="Climbing")
    idea_back(actor=backer, idea=idea)
    assert ideas_for_group(user=backer, group=group).get().my_backing is True
    assert ideas_for_group(user=other, group=group).get().my_backing is False


def test_states_split_open_and_past(people, group, leader):
    author = people[0]
    open_idea = idea_propose(actor=author, group=group, title="Open")
    closed = idea_propose(actor=author, group=group, title="Closed")
    idea_close(actor=leader, idea=closed, reason="No")
    assert [idea.pk for idea in ideas_for_group(user=author, group=group)] == [open_idea.pk]
    assert [idea.pk for idea in ideas_for_group(user=author, group=group, state="past")] == [closed.pk]
    assert len(ideas_for_group(user=author, group=group, state="all")) == 2


def test_unknown_state_is_refused(people, group):
    with pytest.raises(DomainError) as caught:
        ideas_for_group(user=people[0], group=group, state="everything")
    assert caught.value.code == "invalid_state"


def test_other_groups_ideas_are_not_listed(people, group, make_group, make_user, add_member):
    other_group = make_group()
    stranger = make_user()
    add_member(other_group, stranger)
    idea_propose(actor=stranger, group=other_group, title="Elsewhere")
    idea_propose(actor=people[0], group=group, title="Here")
    assert [idea.title for idea in ideas_for_group(user=people[0], group=group)] == ["Here"]


def test_idea_detail_hides_ideas_from_non_members(people, group, make_user):
    idea = idea_propose(actor=people[0], group=group, title="Here")
    assert idea_detail(user=people[1], idea_id=idea.pk).backing_count == 0
    with pytest.raises(DomainError) as caught:
        idea_detail(user=make_user(), idea_id=idea.pk)
    assert caught.value.code == "idea_not_found"


def _list_ideas(user, group):
    return [
        (idea.title, idea.proposed_by.display_name, idea.backing_count, idea.comment_count, idea.my_backing)
        for idea in ideas_for_group(user=user, group=group)
    ]


def test_list_query_count_does_not_grow_with_ideas(people, group, django_assert_max_num_queries):
    author, *others = people
    for n in range(2):
        idea = idea_propose(actor=others[n], group=group, title=f"Idea {n}")
        idea_back(actor=author, idea=idea)
    with django_assert_max_num_queries(1):
        assert len(_list_ideas(author, group)) == 2

    for n in range(2, 4):
        idea = idea_propose(actor=others[n], group=group, title=f"Idea {n}")
        idea_back(actor=author, idea=idea)
        idea_comment(actor=others[0], idea=idea, body="Nice")
    with django_assert_max_num_queries(1):
        assert len(_list_ideas(author, group)) == 4
