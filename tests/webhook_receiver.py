"""A webhook receiver for tests: a real HTTP server on 127.0.0.1 that records what it
is sent and answers with the status codes it is given."""
from __future__ import annotations

import http.server
import threading
from contextlib import contextmanager


@contextmanager
def receiver(statuses=(200,)):
    """An HTTP server on 127.0.0.1 answering POSTs with ``statuses`` in turn (the last
    repeats); yields (url, received) where received lists (headers, body)."""
    received: list[tuple[dict, bytes]] = []
    answers = list(statuses)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the stdlib's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(answers.pop(0) if len(answers) > 1 else answers[0])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()
