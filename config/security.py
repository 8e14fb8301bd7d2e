"""Security headers on every response: the Content-Security-Policy (everything from this site only, no inline
script or style, no framing) and the Permissions-Policy (no camera, microphone, location, payment or USB).

Django's SecurityMiddleware and XFrameOptionsMiddleware add the rest from settings: Referrer-Policy,
Cross-Origin-Opener-Policy, X-Content-Type-Options, X-Frame-Options and, in production, Strict-Transport-Security.
"""

from __future__ import annotations

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": settings.HN_CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.HN_PERMISSIONS_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response
