"""Access expectations for /training/ pages, one module per area so each area's owner edits only its own."""

from tests.training.expected_urls import after, catalogue, college, employer, staff, student

EXPECTED = {
    **catalogue.EXPECTED,
    **college.EXPECTED,
    **after.EXPECTED,
    **employer.EXPECTED,
    **staff.EXPECTED,
    **student.EXPECTED,
}
