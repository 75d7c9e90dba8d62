# Pixel Lab in one container: the app's own requirements only, run by a non-root user.
#
#   docker build -t pixel-lab .
#   docker run --rm -p 8501:8501 pixel-lab            # then open http://localhost:8501
#
# Several containers behind one load balancer need the same cookie secret:
#   docker run -e STREAMLIT_SERVER_COOKIE_SECRET="$(cat secret.txt)" ...
# deploy/check_docker_steps.sh runs this file's steps as plain shell commands (for machines without Docker).

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user with no login shell (the app writes nothing under its home or anywhere in the image).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin pixellab

WORKDIR /app

# Dependencies first, so editing a lesson does not reinstall them. No test tools (requirements-test.txt).
# OpenCV is the headless build: no system libraries to add.
COPY requirements.txt .
RUN python -m pip install --no-cache-dir -r requirements.txt

# The app itself (.dockerignore lets in only app.py, pages/, processing/, ui/ and .streamlit/config.toml).
# Files stay owned by root: the app never writes to disk, so its user needs only to read them.
COPY . .

USER pixellab
EXPOSE 8501

# The slim image has no curl: ask Python. Streamlit answers "ok" once the server is up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]

CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true"]
