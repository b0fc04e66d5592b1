# Jianghua API image: slim Python, non-root, migrations applied at start, health-checked.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    JIANGHUA_DATABASE_URL=sqlite:////var/lib/jianghua/jianghua.db \
    JIANGHUA_HOST=0.0.0.0 \
    JIANGHUA_PORT=8000

WORKDIR /srv/jianghua
# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
COPY app/__init__.py app/__init__.py
RUN pip install . && pip uninstall -y jianghua

COPY alembic.ini ./
COPY migrations migrations
COPY app app

RUN useradd --system --uid 10001 --home-dir /srv/jianghua jianghua \
 && mkdir -p /var/lib/jianghua && chown jianghua /var/lib/jianghua
USER jianghua
VOLUME /var/lib/jianghua
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import os,urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['JIANGHUA_PORT'], timeout=2)"

# Run from the source tree (WORKDIR is on sys.path), so alembic.ini and migrations/ sit beside app/.
CMD ["sh", "-c", "python -m app migrate && exec python -m uvicorn app.main:app --host \"$JIANGHUA_HOST\" --port \"$JIANGHUA_PORT\" --proxy-headers"]
