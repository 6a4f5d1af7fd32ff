"""Read by Gunicorn from its working directory (the repository root, /app in the image) before its command line.

Emailed links carry secret tokens in their paths: the access log writes them as [redacted]
(config/gunicorn_logging.py).
"""

logger_class = "config.gunicorn_logging.RedactingGunicornLogger"
