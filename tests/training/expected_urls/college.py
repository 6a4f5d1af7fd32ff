"""Who may see the college pages of /training/ (merged into tests/test_url_permissions.py EXPECTED)."""

EXPECTED = {
    "training:college-home": ({}, {"*": 404}),
    "training:suite-create": ({}, {"*": 404}),
    "training:suite-edit": ({"pk": 999999}, {"*": 404}),
    "training:room-create": ({"suite_pk": 999999}, {"*": 404}),
    "training:room-edit": ({"pk": 999999}, {"*": 404}),
    "training:entry-list": ({}, {"*": 404}),
    "training:entry-create": ({}, {"*": 404}),
    "training:entry-edit": ({"pk": 999999}, {"*": 404}),
    "training:entry-confirm": ({"pk": 999999}, {"*": 404}),
    "training:college-sessions": ({}, {"*": 404}),
    "training:college-session-create": ({}, {"*": 404}),
    "training:college-session": ({"pk": 999999}, {"*": 404}),
    "training:college-session-edit": ({"pk": 999999}, {"*": 404}),
    "training:college-session-duplicate": ({"pk": 999999}, {"*": 404}),
    "training:college-session-close": ({"pk": 999999}, {"*": 404}),
    "training:college-session-cancel": ({"pk": 999999}, {"*": 404}),
}
