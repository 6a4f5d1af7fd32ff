"""URLs for public catalogue and session pages (anyone)."""

from django.urls import path

from training.views import catalogue

urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("sessions/<int:pk>/", catalogue.session_detail, name="session-detail"),
]
