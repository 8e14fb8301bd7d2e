"""accounts pages (placeholder until built)."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request):
    return HttpResponse("Not built yet.")


urlpatterns = [
    path("login/", placeholder, name="login"),
    path("logout/", placeholder, name="logout"),
    path("join/", placeholder, name="signup"),
]
