"""WSGI entry point (served by gunicorn through ``zugong serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zugong.settings")
application = get_wsgi_application()

# every view module imported as the worker boots (the URLconf includes them all), not on its first
# request (≈1.4 s here), and the statistics warmed
from zugong import urls  # noqa: E402, F401 (after Django is set up)
from zugong.stats import warm  # noqa: E402

warm.enable()  # a server process: dashboards are warmed after writes and at start
