"""URLs for students not placed this round: first-come places on sessions open to students."""

from django.urls import path

from training.views.not_built_yet import not_built_yet

urlpatterns = [
    path("students/", not_built_yet, name="student-sessions"),
    path("sessions/<int:pk>/book-student/", not_built_yet, name="student-book"),
]
