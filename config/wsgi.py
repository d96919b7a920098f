"""The WSGI application, ready to answer before its first request.

Django imports the URLconf (and with it every view module) and builds its
URL resolver on the first request; in a fresh gunicorn worker that request
(a reader's, right after a deploy or a worker restart) waited several
times its usual time. Both are done here instead, when the worker loads
the application: importing the URLconf and reversing one URL, which builds
the resolver's whole table. gunicorn then has each worker answer one health
probe of its own (:func:`warm_up`), which opens its database and cache
connections, and then freezes what it has made so far out of the garbage
collector's sight (:func:`gc.freeze`): about 200,000 objects of modules,
URL patterns and models that live as long as the worker, which every full
collection walked again (about 90 ms, in the middle of some request).
"""

import gc
import io
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)
reverse("syndication:news_rss")


def warm_up():
    """Answer one ``/healthz`` probe in this process, as a load balancer would
    ask it (it writes nothing and logs nothing while it passes), then move
    everything made until now to the collector's permanent generation."""
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO(),
    }
    body = application(environ, lambda status, headers, exc_info=None: None)
    try:
        b"".join(body)
    finally:
        body.close()
    gc.collect()
    gc.freeze()
