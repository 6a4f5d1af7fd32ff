"""URLs for a college coordinator's suites, rooms, catalogue and sessions."""

from django.urls import path

from training.views.not_built_yet import not_built_yet

urlpatterns = [
    path("college/", not_built_yet, name="college-home"),
    path("college/suites/new/", not_built_yet, name="suite-create"),
    path("college/suites/<int:pk>/", not_built_yet, name="suite-edit"),
    path("college/suites/<int:suite_pk>/rooms/new/", not_built_yet, name="room-create"),
    path("college/rooms/<int:pk>/", not_built_yet, name="room-edit"),
    path("college/catalogue/", not_built_yet, name="entry-list"),
    path("college/catalogue/new/", not_built_yet, name="entry-create"),
    path("college/catalogue/<int:pk>/", not_built_yet, name="entry-edit"),
    path("college/catalogue/<int:pk>/still-accurate/", not_built_yet, name="entry-confirm"),
    path("college/sessions/", not_built_yet, name="college-sessions"),
    path("college/sessions/new/", not_built_yet, name="college-session-create"),
    path("college/sessions/<int:pk>/", not_built_yet, name="college-session"),
    path("college/sessions/<int:pk>/edit/", not_built_yet, name="college-session-edit"),
    path("college/sessions/<int:pk>/duplicate/", not_built_yet, name="college-session-duplicate"),
    path("college/sessions/<int:pk>/close/", not_built_yet, name="college-session-close"),
    path("college/sessions/<int:pk>/cancel/", not_built_yet, name="college-session-cancel"),
]
