"""Who may see the after pages of /training/ (merged into tests/test_url_permissions.py EXPECTED).

Only a college's coordinator (it runs the suite) sees its utilisation; attendance is per session of their college
(pk 999999 exists for nobody: 404; another college's session: tests/training/after/test_attendance.py).
"""

LOGIN = "login"  # redirect to the sign-in page

EXPECTED = {
    "training:college-attendance": ({"pk": 999999}, {"anonymous": LOGIN, "*": 404}),
    "training:college-utilisation": ({}, {"anonymous": LOGIN, "college_coordinator": 200, "*": 404}),
    "training:college-utilisation-export": ({}, {"anonymous": LOGIN, "college_coordinator": 200, "*": 404}),
}
