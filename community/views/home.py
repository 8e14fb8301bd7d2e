"""The home page: a welcome for visitors, a short summary for members."""

from django.shortcuts import render
from django.urls import path


def home(request):
    return render(request, "community/home.html")


urlpatterns = [path("", home, name="home")]
