"""A tiny stand-in for endoflife.date's API v1, for tests/integration/test_data_update.py.

Serves ``GET <prefix>/products/<id>/`` from ``<folder>/<id>.json`` (404 otherwise) on
127.0.0.1, prints the port it listens on, and exits by itself after ``--lifetime`` seconds
(the test also stops it by PID). Run it inside the test's network namespace only.
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PATH = re.compile(r"^/api/v1/products/([a-z0-9.-]+)/?$")


def main() -> int:
    """Serve until the lifetime is over."""
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lifetime", type=float, default=60.0)
    args = parser.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            match = PATH.match(self.path)
            product = args.folder / f"{match.group(1)}.json" if match else None
            if product is None or not product.is_file():
                self.send_error(404)
                return
            body = product.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *values: object) -> None:  # noqa: A002
            sys.stderr.write(f"{self.command} {self.path}\n")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Timer(args.lifetime, server.shutdown).start()
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
