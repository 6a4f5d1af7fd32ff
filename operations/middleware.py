"""Request ids, and a log line for every slow request.

Outermost middleware, so the id covers everything after it (redirects, 413s, error pages) and the time measured is
the whole request as Django sees it.
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.db import connection

from operations.logs import CONTEXT, LogContext

logger = logging.getLogger("operations.requests")
# A proxy's or load balancer's id is kept if it looks like one; anything else is replaced, so a header cannot
# write arbitrary text into the logs.
INCOMING_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
HEADER = "X-Request-ID"


class QueryCounter:
    """A database execute wrapper that only counts: cheap enough to run on every request."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request.request_id = incoming if INCOMING_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = CONTEXT.set(LogContext(request_id=request.request_id, request=request))
        try:
            counter = QueryCounter()
            started = time.perf_counter()
            with connection.execute_wrapper(counter):
                response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000)
            response[HEADER] = request.request_id
            if duration_ms >= settings.SLOW_REQUEST_MS:
                self._log_slow(request, response, duration_ms, counter.count)
            return response
        finally:
            CONTEXT.reset(token)

    @staticmethod
    def _log_slow(request, response, duration_ms: int, query_count: int) -> None:
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else ""
        logger.warning(
            "Slow request: %s %s answered %s in %s ms with %s queries",
            request.method,
            match.view_name if match is not None else "(unresolved)",
            response.status_code,
            duration_ms,
            query_count,
            extra={
                "event": "slow_request",
                "status": response.status_code,
                "duration_ms": duration_ms,
                "query_count": query_count,
                "route": route,
            },
        )
