"""Who may see the catalogue pages of /training/ (merged into tests/test_url_permissions.py EXPECTED)."""

EXPECTED = {
    "training:catalogue": ({}, {"*": 404}),
    "training:session-detail": ({"pk": 999999}, {"*": 404}),
}
