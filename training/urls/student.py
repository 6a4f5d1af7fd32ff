"""URLs for students not placed this round: first-come places on sessions open to students."""

from django.urls import path

from training.views.student import student_book, student_sessions

urlpatterns = [
    path("students/", student_sessions, name="student-sessions"),
    path("sessions/<int:pk>/book-student/", student_book, name="student-book"),
]
