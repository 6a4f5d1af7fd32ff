"""Who may see the student pages of /training/ (merged into tests/test_url_permissions.py EXPECTED)."""

EXPECTED = {
    "training:student-sessions": ({}, {"*": 404}),
    "training:student-book": ({"pk": 999999}, {"*": 404}),
}
