from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import health

admin.site.site_header = "Here and Now admin"
admin.site.site_title = "Here and Now admin"

urlpatterns = [
    # Health (process alive) and readiness (database, cache, migrations) for the proxy and supervisor: config/health.py
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("community.api.urls")),
    path("api/v1/", include("events.api_urls")),
    path("api/v1/", include("messaging.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the Content-Security-Policy allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("events.urls")),
    path("", include("messaging.urls")),
    path("", include("community.urls")),
]

# The database being unreachable is answered 503 (a page, or {"code": "unavailable"}), not 500: config/unavailable.py.
handler500 = "config.unavailable.server_error"
# A URL under /api/ that matches no route gets a JSON {"code": "not_found"}, like every API error.
handler404 = "community.api.errors.not_found"
