import os

from django.core.wsgi import get_wsgi_application

from parstat.ops.heap import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parstat.settings")
application = get_wsgi_application()
freeze_startup_objects()  # each worker, once loaded: see parstat/ops/heap.py
