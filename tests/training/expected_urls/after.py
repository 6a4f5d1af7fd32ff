"""Who may see the after pages of /training/ (merged into tests/test_url_permissions.py EXPECTED)."""

EXPECTED = {
    "training:college-attendance": ({"pk": 999999}, {"*": 404}),
    "training:college-utilisation": ({}, {"*": 404}),
    "training:college-utilisation-export": ({}, {"*": 404}),
}
