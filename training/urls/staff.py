"""URLs for a person's own places: self-booking, calendar feeds, certificates, confidence."""

from django.urls import path

from training.views import calendars, staff

urlpatterns = [
    path("my/", staff.my_training, name="my-training"),
    path("sessions/<int:pk>/book-myself/", staff.self_book, name="self-book"),
    path("my/places/<int:pk>/cancel/", staff.my_place_cancel, name="my-place-cancel"),
    path("my/places/<int:pk>/certificate/", staff.certificate, name="certificate"),
    path("my/places/<int:pk>/confidence/", staff.confidence, name="confidence"),
    path("my/calendar/new-link/", staff.my_calendar_renew, name="my-calendar-renew"),
    path("calendar/<str:token>.ics", calendars.person_calendar, name="person-calendar"),
    path("calendar/rooms/<str:token>.ics", calendars.room_calendar, name="room-calendar"),
    path("college/rooms/<int:pk>/calendar/", staff.room_calendar_renew, name="room-calendar-renew"),
]
