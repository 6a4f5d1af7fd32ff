"""URLs for around and after a session: attendance, utilisation."""

from django.urls import path

from training.views.not_built_yet import not_built_yet

urlpatterns = [
    path("college/sessions/<int:pk>/attendance/", not_built_yet, name="college-attendance"),
    path("college/utilisation/", not_built_yet, name="college-utilisation"),
    path("college/utilisation.csv", not_built_yet, name="college-utilisation-export"),
]
