import os

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from config.views import healthz
from operations.health import BeatHeartbeat, HealthView
from placements.admin import coordinator_site

urlpatterns = [
    path("", TemplateView.as_view(template_name="pages/home.html"), name="home"),
    path("accessibility/", TemplateView.as_view(template_name="pages/accessibility.html"), name="accessibility"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("cookies/", TemplateView.as_view(template_name="pages/cookies.html"), name="cookies"),
    path("healthz/", healthz, name="healthz"),
    # Database, broker, outbox backlog and beat: 200 or 503, JSON for ?format=json or Accept: application/json.
    path("health/", HealthView.as_view(), name="health"),
    # Beat's own container health check: `manage.py health_check health-beat --no-http` (docker-compose.yml).
    path("health/beat/", HealthView.as_view(checks=(BeatHeartbeat,)), name="health-beat"),
    path("accounts/", include("accounts.urls")),
    path("", include("placements.urls")),
    path("training/", include("training.urls")),
    path("skills/", include("skills.urls")),
    path("insights/", include("insights.urls")),
    path("admin/", admin.site.urls),
    path("coordinator/", coordinator_site.urls),
]

# The load benchmark's empty layout page (benchmarks/load/run.py). It exists only when BENCHMARK_PAGES=1 is set.
if os.environ.get("BENCHMARK_PAGES") == "1":
    urlpatterns.append(path("benchmark/empty/", TemplateView.as_view(template_name="benchmarks/empty.html")))
