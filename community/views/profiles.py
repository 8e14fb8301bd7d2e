"""profiles pages (placeholder until built)."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request):
    return HttpResponse("Not built yet.")


urlpatterns = [
    path("me/", placeholder, name="profile-edit"),
]
