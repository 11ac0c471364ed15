"""WSGI entry point: `gunicorn config.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the project, their modules) lives as long
# as the worker: moved out of the collector's generations, it is no longer
# rescanned by every full collection, which otherwise paused the odd request
# by tens of milliseconds.
gc.freeze()
