"""The runnable site (``config.wsgi``) with two failures no view of it has,
for gunicorn to log as it logs any application's: ``/fails-before-answer/``
raises before anything is answered (as a failing WSGI layer in front of
Django would) and ``/fails-while-sending/`` after its headers are sent (as a
file that cannot be read to its end would)."""

from config.wsgi import application as site


class SendingFailed(Exception):
    pass


def failing_after_first(chunks):
    yield from chunks[:1] or [b"part"]
    raise SendingFailed("the rest of the body could not be read")


def application(environ, start_response):
    path = environ.get("PATH_INFO")
    if path == "/fails-before-answer/":
        raise SendingFailed("nothing could be answered")
    body = site(environ, start_response)
    if path == "/fails-while-sending/":
        chunks = list(body)
        return failing_after_first(chunks)
    return body
