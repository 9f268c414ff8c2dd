#!/usr/bin/env python3
"""An OTLP/HTTP traces endpoint that accepts every export and discards it.

For measuring what tracing costs the server (docs/benchmarks.md, "Tracing overhead"): the server
pays for building, batching, encoding and sending its spans; nothing here decodes or stores them.
Prints the requests and bytes received every 10 s and at exit.

  python3 bench/otlp-sink.py 4318    # then: PARLEY_TRACING_EXPORTER=otlp ./parley ...
"""
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

received = {"requests": 0, "bytes": 0}
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            received["requests"] += 1
            received["bytes"] += len(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def report():
    while True:
        time.sleep(10)
        with lock:
            print(f"otlp-sink: {received['requests']} requests, {received['bytes']} bytes", flush=True)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 4318
    threading.Thread(target=report, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", port), Sink)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        print(f"otlp-sink: {received['requests']} requests, {received['bytes']} bytes", flush=True)
