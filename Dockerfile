# One image for web, worker and beat. Front-end assets are committed, so no Node stage is needed.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 1000 app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings but no secrets worth keeping: a throwaway key for the build only.
RUN SECRET_KEY=build-only-not-a-secret-0123456789abcdef ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R app:app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
