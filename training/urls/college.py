"""URLs for a college coordinator's suites, rooms, catalogue and sessions."""

from django.urls import path

from training.views import college, college_sessions

urlpatterns = [
    path("college/", college.college_home, name="college-home"),
    path("college/suites/new/", college.suite_create, name="suite-create"),
    path("college/suites/<int:pk>/", college.suite_edit, name="suite-edit"),
    path("college/suites/<int:suite_pk>/rooms/new/", college.room_create, name="room-create"),
    path("college/rooms/<int:pk>/", college.room_edit, name="room-edit"),
    path("college/catalogue/", college.entry_list, name="entry-list"),
    path("college/catalogue/new/", college.entry_create, name="entry-create"),
    path("college/catalogue/<int:pk>/", college.entry_edit, name="entry-edit"),
    path("college/catalogue/<int:pk>/still-accurate/", college.entry_confirm, name="entry-confirm"),
    path("college/sessions/", college_sessions.session_list, name="college-sessions"),
    path("college/sessions/new/", college_sessions.session_create, name="college-session-create"),
    path("college/sessions/<int:pk>/", college_sessions.session_detail, name="college-session"),
    path("college/sessions/<int:pk>/edit/", college_sessions.session_edit, name="college-session-edit"),
    path("college/sessions/<int:pk>/duplicate/", college_sessions.session_duplicate, name="college-session-duplicate"),
    path("college/sessions/<int:pk>/close/", college_sessions.session_close, name="college-session-close"),
    path("college/sessions/<int:pk>/cancel/", college_sessions.session_cancel, name="college-session-cancel"),
]
