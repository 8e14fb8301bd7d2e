"""Pages for member ideas. Joined into events/urls.py (namespace "events")."""

from django.urls import path

from events import views_ideas

urlpatterns = [
    path("groups/<slug:slug>/ideas/", views_ideas.idea_list, name="idea-list"),
    path("ideas/<int:idea_id>/", views_ideas.idea_detail_view, name="idea-detail"),
    path("ideas/<int:idea_id>/back/", views_ideas.idea_back_view, name="idea-back"),
    path("ideas/<int:idea_id>/unback/", views_ideas.idea_unback_view, name="idea-unback"),
    path("ideas/<int:idea_id>/comment/", views_ideas.idea_comment_view, name="idea-comment"),
    path(
        "ideas/<int:idea_id>/comments/<int:comment_id>/remove/",
        views_ideas.idea_comment_delete_view,
        name="idea-comment-delete",
    ),
    path("ideas/<int:idea_id>/answer/", views_ideas.idea_answer_view, name="idea-answer"),
    path("ideas/<int:idea_id>/close/", views_ideas.idea_close_view, name="idea-close"),
    path("ideas/<int:idea_id>/make-event/", views_ideas.idea_to_event_view, name="idea-to-event"),
]
