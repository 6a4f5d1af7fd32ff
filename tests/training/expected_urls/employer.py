"""Who may see the employer pages of /training/ (merged into tests/test_url_permissions.py EXPECTED)."""

EXPECTED = {
    "training:employer-home": ({}, {"*": 404}),
    "training:booking-create": ({"pk": 999999}, {"*": 404}),
    "training:booking-detail": ({"pk": 999999}, {"*": 404}),
    "training:booking-cancel-seats": ({"pk": 999999}, {"*": 404}),
    "training:waitlist-withdraw": ({"pk": 999999}, {"*": 404}),
    "training:employer-policy": ({}, {"*": 404}),
    "training:employer-approvals": ({}, {"*": 404}),
    "training:approval-decide": ({"pk": 999999}, {"*": 404}),
    "training:employer-record": ({}, {"*": 404}),
    "training:employer-record-export": ({}, {"*": 404}),
}
