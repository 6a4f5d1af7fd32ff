"""URLs for a person's own places: self-booking, calendar feeds, certificates, confidence."""

from django.urls import path

from training.views.not_built_yet import not_built_yet

urlpatterns = [
    path("my/", not_built_yet, name="my-training"),
    path("sessions/<int:pk>/book-myself/", not_built_yet, name="self-book"),
    path("my/places/<int:pk>/cancel/", not_built_yet, name="my-place-cancel"),
    path("my/places/<int:pk>/certificate/", not_built_yet, name="certificate"),
    path("my/places/<int:pk>/confidence/", not_built_yet, name="confidence"),
    path("my/calendar/new-link/", not_built_yet, name="my-calendar-renew"),
    path("calendar/<str:token>.ics", not_built_yet, name="person-calendar"),
    path("calendar/rooms/<str:token>.ics", not_built_yet, name="room-calendar"),
    path("college/rooms/<int:pk>/calendar/", not_built_yet, name="room-calendar-renew"),
]
