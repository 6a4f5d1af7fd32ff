"""Who may see the catalogue pages of /training/ (merged into tests/test_url_permissions.py EXPECTED)."""

EXPECTED = {
    # Public: employers, their staff, students and anyone else find sessions here.
    "training:catalogue": ({}, {"*": 200}),
    "training:session-detail": ({"pk": 999999}, {"*": 404}),
}
