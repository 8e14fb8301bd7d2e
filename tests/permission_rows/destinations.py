"""Permission rows for my positive destination and my dashboard (/api/v1/me/destination/, /me/goals/, /me/activity/,
/me/dashboard/). Each person reaches only their own: Target's goal is not found for everyone else, staff included, and
evaluators, who only ever see aggregates, reach no one's (not even their own list)."""

from __future__ import annotations

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741

OWN = {A: 401, O: 200, G: 200, L: 200, M: 200, S: 200, E: 403}
ADDED = {A: 401, O: 201, G: 201, L: 201, M: 201, S: 201, E: 403}
GONE = {A: 401, O: 204, G: 204, L: 204, M: 204, S: 204, E: 403}
SOMEONE_ELSES = {A: 401, O: 404, G: 404, L: 404, M: 404, S: 404, E: 403}
GROUP_MEMBERS_OWN = {A: 401, O: 404, G: 200, L: 404, M: 404, S: 404, E: 403}
GROUP_MEMBERS_OWN_ADDED = {**GROUP_MEMBERS_OWN, G: 201}
GROUP_MEMBERS_OWN_GONE = {**GROUP_MEMBERS_OWN, G: 204}


def _goal_of(w, owner: str):
    """A goal with one step, by Target (or the named role), made the first time a row asks."""
    from community.services.destinations import goal_add, goal_step_add

    key = f"_goal_{owner}"
    if key not in w.__dict__:
        person = w.target if owner == "target" else w.users[owner]
        goal = goal_add(actor=person, area="job", title="Find a weekend job")
        goal.first_step = goal_step_add(actor=person, goal_id=goal.pk, text="Write a CV")
        w.__dict__[key] = goal
    return w.__dict__[key]


def _goal_url(owner: str, rest: str = ""):
    return lambda w: f"/api/v1/me/goals/{_goal_of(w, owner).pk}/{rest}"


def _step_url(owner: str):
    return lambda w: f"/api/v1/me/goals/{_goal_of(w, owner).pk}/steps/{_goal_of(w, owner).first_step.pk}/"


GOAL = "api/v1/me/goals/<int:goal_id>/"
STEPS = "api/v1/me/goals/<int:goal_id>/steps/"
STEP = "api/v1/me/goals/<int:goal_id>/steps/<int:step_id>/"

ROWS = [
    ("me-destination", "GET", "api/v1/me/destination/", lambda w: "/api/v1/me/destination/", None, OWN),
    ("me-destination-set", "PUT", "api/v1/me/destination/", lambda w: "/api/v1/me/destination/",
     lambda w: {"areas": ["job", "happy"]}, OWN),
    ("me-goals", "GET", "api/v1/me/goals/", lambda w: "/api/v1/me/goals/", None, OWN),
    ("me-goal-add", "POST", "api/v1/me/goals/", lambda w: "/api/v1/me/goals/",
     lambda w: {"area": "learning", "title": "Start a course"}, ADDED),
    ("me-goal-someone-elses", "GET", GOAL, _goal_url("target"), None, SOMEONE_ELSES),
    ("me-goal-own", "GET", GOAL, _goal_url("group_member"), None, GROUP_MEMBERS_OWN),
    ("me-goal-patch-someone-elses", "PATCH", GOAL, _goal_url("target"), lambda w: {"progress": 50}, SOMEONE_ELSES),
    ("me-goal-patch-own", "PATCH", GOAL, _goal_url("group_member"), lambda w: {"progress": 50}, GROUP_MEMBERS_OWN),
    ("me-step-add-someone-elses", "POST", STEPS, _goal_url("target", "steps/"), lambda w: {"text": "Hi"},
     SOMEONE_ELSES),
    ("me-step-add-own", "POST", STEPS, _goal_url("group_member", "steps/"), lambda w: {"text": "Ask around"},
     GROUP_MEMBERS_OWN_ADDED),
    ("me-step-patch-someone-elses", "PATCH", STEP, _step_url("target"), lambda w: {"done": True}, SOMEONE_ELSES),
    ("me-step-patch-own", "PATCH", STEP, _step_url("group_member"), lambda w: {"done": True}, GROUP_MEMBERS_OWN),
    ("me-step-delete-someone-elses", "DELETE", STEP, _step_url("target"), None, SOMEONE_ELSES),
    ("me-step-delete-own", "DELETE", STEP, _step_url("group_member"), None, GROUP_MEMBERS_OWN_GONE),
    ("me-goal-delete-someone-elses", "DELETE", GOAL, _goal_url("target"), None, SOMEONE_ELSES),
    ("me-goal-delete-own", "DELETE", GOAL, _goal_url("group_member"), None, GROUP_MEMBERS_OWN_GONE),
    ("me-activity", "GET", "api/v1/me/activity/", lambda w: "/api/v1/me/activity/", None, OWN),
    ("me-activity-set", "PUT", "api/v1/me/activity/", lambda w: "/api/v1/me/activity/", lambda w: {"code": "P5"}, OWN),
    ("me-activity-clear", "DELETE", "api/v1/me/activity/", lambda w: "/api/v1/me/activity/", None, GONE),
    ("me-dashboard", "GET", "api/v1/me/dashboard/", lambda w: "/api/v1/me/dashboard/", None, OWN),
]  # fmt: skip
