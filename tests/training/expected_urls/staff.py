"""Who may see the staff pages of /training/ (merged into tests/test_url_permissions.py EXPECTED).

A person's own places: staff members and students (their places are theirs alone: per-object checks in
tests/training/staff/). The calendar feeds need no sign-in (calendar apps cannot sign in): an unknown token is 404
for everyone. POST-only actions answer 405 to a GET from the people who may POST.
"""

LOGIN = "login"
PEOPLE_WITH_PLACES = {"staff": 200, "student": 200}

EXPECTED = {
    "training:my-training": ({}, {"anonymous": LOGIN, **PEOPLE_WITH_PLACES, "*": 404}),
    # No such session; and the staff persona's employer has self-booking off.
    "training:self-book": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "training:my-place-cancel": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "training:certificate": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "training:confidence": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "training:my-calendar-renew": ({}, {"anonymous": LOGIN, "staff": 405, "student": 405, "*": 404}),
    "training:person-calendar": ({"token": "no-such-token"}, {"*": 404}),
    "training:room-calendar": ({"token": "no-such-token"}, {"*": 404}),
    "training:room-calendar-renew": ({"pk": 999999}, {"anonymous": LOGIN, "college_coordinator": 405, "*": 404}),
}
