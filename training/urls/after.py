"""URLs for around and after a session: attendance, utilisation."""

from django.urls import path

from training.views import after

urlpatterns = [
    path("college/sessions/<int:pk>/attendance/", after.college_attendance, name="college-attendance"),
    path("college/utilisation/", after.college_utilisation, name="college-utilisation"),
    path("college/utilisation.csv", after.college_utilisation_export, name="college-utilisation-export"),
]
