# A slim, non-root image running the same server as `make run`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install . && useradd --create-home --uid 10001 countercheck && mkdir /data \
    && chown countercheck /data
USER countercheck
ENV DATABASE_URL=sqlite:////data/countercheck.db
VOLUME /data
EXPOSE 8000
CMD ["countercheck", "serve", "--host", "0.0.0.0", "--port", "8000"]
