"""Turns a DomainError raised while rendering a page into a friendly error page with the right status."""

from __future__ import annotations

from django.shortcuts import render

from community.errors import DomainError, RateLimited


class DomainErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        response = render(request, "community/error.html", {"error": exception}, status=exception.status)
        if isinstance(exception, RateLimited):
            response["Retry-After"] = str(exception.retry_after)
        return response
