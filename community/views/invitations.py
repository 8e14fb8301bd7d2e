"""invitations pages (placeholder until built)."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request):
    return HttpResponse("Not built yet.")


urlpatterns = [
    path("invitations/", placeholder, name="invitation-list"),
]
