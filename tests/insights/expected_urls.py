"""Who may see the insights pages (merged into tests/test_url_permissions.py EXPECTED).

Planning partners and site admins read London's reports. Colleges' and hosts' coordinators (a college's, an NHS
trust's, a care provider's) read the summary and who gets in, filtered to their own organisation (ADR 0019); tutors,
students and staff never learn the reports exist (404). Vacancy figures are uploaded by partners, site admins and
employers' coordinators (an NHS trust's, a care provider's), not a college's. Only site admins see and take
snapshots. The CSV of a table name that does not exist is 404 even to readers.
"""

LOGIN = "login"  # redirect to the sign-in page
READERS = {"anonymous": LOGIN, "partner": 200, "admin": 200, "*": 404}
COORDINATORS = {"coordinator": 200, "college_coordinator": 200, "care_coordinator": 200}

EXPECTED = {
    "insights:summary": ({}, {**READERS, **COORDINATORS}),
    # With no snapshot yet there is no table to download.
    "insights:summary-csv": ({}, {"anonymous": LOGIN, "*": 404}),
    "insights:who-gets-in": ({}, {**READERS, **COORDINATORS}),
    "insights:who-gets-in-csv": ({"table": "funnel"}, {"anonymous": LOGIN, "*": 404}),
    "insights:training": ({}, READERS),
    "insights:training-csv": ({"table": "sessions"}, {"anonymous": LOGIN, "*": 404}),
    "insights:skills": ({}, READERS),
    "insights:skills-csv": ({"table": "domains"}, {"anonymous": LOGIN, "*": 404}),
    # Partners and site admins compare London's snapshots; with fewer than two there is no table to download.
    "insights:compare": ({}, READERS),
    "insights:compare-csv": ({"table": "funnel"}, {"anonymous": LOGIN, "*": 404}),
    "insights:vacancy-upload": (
        {},
        {"anonymous": LOGIN, "partner": 200, "admin": 200, "coordinator": 200, "care_coordinator": 200, "*": 404},
    ),
    "insights:snapshots": ({}, {"anonymous": LOGIN, "admin": 200, "*": 404}),
}
