"""Who may see the student pages of /training/ (merged into tests/test_url_permissions.py EXPECTED)."""

LOGIN = "login"  # as tests/test_url_permissions.LOGIN (importing it from there would be circular)

EXPECTED = {
    # Every student may open it (those who cannot book are told why); nobody else knows it exists.
    "training:student-sessions": ({}, {"anonymous": LOGIN, "student": 200, "*": 404}),
    "training:student-book": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
}
