"""URLs for public catalogue and session pages (anyone)."""

from django.urls import path

from training.views.not_built_yet import not_built_yet

urlpatterns = [
    path("", not_built_yet, name="catalogue"),
    path("sessions/<int:pk>/", not_built_yet, name="session-detail"),
]
