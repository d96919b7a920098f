"""The WSGI application, ready to answer before its first request.

Django imports the URLconf (and with it every view module) and builds its
URL resolver on the first request; in a fresh gunicorn worker that request
(a reader's, right after a deploy or a worker restart) waited several
times its usual time. Both are done here instead, when the worker loads
the application: importing the URLconf and reversing one URL, which builds
the resolver's whole table.
"""

import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)
reverse("syndication:news_rss")
