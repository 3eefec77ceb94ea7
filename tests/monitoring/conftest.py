import pytest


@pytest.fixture
def channel(db, units, people):
    """The demo's public Facebook group (zone: Đặc khu Cát Hải)."""
    from cyberyouth.channels.models import Channel

    return Channel.objects.get(address="https://www.facebook.com/groups/demo.megamecatba")


@pytest.fixture
def school_channel(db):
    from cyberyouth.channels.models import Channel

    return Channel.objects.get(address="https://www.facebook.com/demo.thcscatba")


@pytest.fixture
def fake_server():
    """A local HTTP server on 127.0.0.1: `server.routes[path] = handler(query) -> (status, headers, body)`.
    Every request is recorded in `server.requests` as (path, query dict)."""
    import threading
    import urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Server(ThreadingHTTPServer):
        daemon_threads = True

    routes, requests = {}, []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            parsed = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parsed.query))
            requests.append((parsed.path, query))
            handler = routes.get(parsed.path)
            if handler is None:
                status, headers, body = 404, {}, b'{"error": {"message": "not found", "code": 803}}'
            else:
                status, headers, body = handler(query, self)
            if status is None:  # the handler wrote the response itself
                return
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if isinstance(body, str):
                body = body.encode("utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = Server(("127.0.0.1", 0), Handler)
    server.routes, server.requests = routes, requests
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
