"""Admin registrations: the site admin (/admin/, unscoped) and the coordinator admin (/coordinator/)."""

from placements.admin import audit, coordinator, matching, rounds, site  # noqa: F401  (registers the ModelAdmins)
from placements.admin.coordinator_site import coordinator_site

__all__ = ["coordinator_site"]
