"""HEAD answers with the headers of GET and no body.

Django leaves that to the server; runserver drops the body, gunicorn drops
it too but logs a warning for each such response (a load balancer polling
with HEAD writes one a second). So the body goes here, before the server
sees it, while ``Content-Length`` still says how long GET's would be.
"""

NO_BODY = ()


class HeadWithoutBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            # A file's handle stays registered for closing with the response.
            response.streaming_content = NO_BODY
        elif response.content:
            if not response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
