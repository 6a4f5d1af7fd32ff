"""Who may see the employer pages of /training/ (merged into tests/test_url_permissions.py EXPECTED).

Only an employer's coordinator: an NHS trust's ("coordinator") or a care provider's ("care_coordinator").
A college's coordinator books nothing and gets 404, like everyone else who is signed in.
"""

LOGIN = "login"  # redirect to the sign-in page
EMPLOYERS = {"coordinator": 200, "care_coordinator": 200}
POST_ONLY = {"coordinator": 405, "care_coordinator": 405}

EXPECTED = {
    "training:employer-home": ({}, {"anonymous": LOGIN, **EMPLOYERS, "*": 404}),
    # No such session (or booking, entry, request): 404 for everyone signed in.
    "training:booking-create": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "training:booking-detail": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "training:booking-cancel-seats": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "training:waitlist-withdraw": ({"pk": 999999}, {"anonymous": LOGIN, **POST_ONLY, "*": 404}),
    "training:employer-policy": ({}, {"anonymous": LOGIN, **EMPLOYERS, "*": 404}),
    "training:employer-approvals": ({}, {"anonymous": LOGIN, **EMPLOYERS, "*": 404}),
    "training:approval-decide": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "training:employer-record": ({}, {"anonymous": LOGIN, **EMPLOYERS, "*": 404}),
    "training:employer-record-export": ({}, {"anonymous": LOGIN, **EMPLOYERS, "*": 404}),
}
