"""Who may see the staff pages of /training/ (merged into tests/test_url_permissions.py EXPECTED)."""

EXPECTED = {
    "training:my-training": ({}, {"*": 404}),
    "training:self-book": ({"pk": 999999}, {"*": 404}),
    "training:my-place-cancel": ({"pk": 999999}, {"*": 404}),
    "training:certificate": ({"pk": 999999}, {"*": 404}),
    "training:confidence": ({"pk": 999999}, {"*": 404}),
    "training:my-calendar-renew": ({}, {"*": 404}),
    "training:person-calendar": ({"token": "no-such-token"}, {"*": 404}),
    "training:room-calendar": ({"token": "no-such-token"}, {"*": 404}),
    "training:room-calendar-renew": ({"pk": 999999}, {"*": 404}),
}
