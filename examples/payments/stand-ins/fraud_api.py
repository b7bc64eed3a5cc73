"""Stand-in for the fraud service the scorer calls: a deterministic risk from customer and amount.

Teams keep a stand-in like this for tests; a drill starts it and puts Toxiproxy in front, so
latency and outages are injected on the wire, not faked in here.

  GET /health                                  -> 200 {"ok": true}
  GET|POST /score?customer=..&amount=..        -> 200 {"risk": 0..1}
  (a POST may carry the same fields as a form or a JSON object instead)

Port: FRAUD_API_PORT or --port; host: FRAUD_API_HOST (default 127.0.0.1, 0.0.0.0 in a container).
"""
import argparse
import hashlib
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def risk_of(customer, amount):
    # Same answer for the same input on every run and machine, so a drill's outputs can be compared.
    spread = hashlib.sha256(customer.encode()).digest()[0] / 512
    return round(min(1.0, spread + min(max(amount, 0.0), 10000.0) / 20000), 4)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the scorer's calls should not pay a connect each

    def do_GET(self):
        self.route({})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        try:
            fields = json.loads(body) if body.lstrip().startswith("{") else {k: v[0] for k, v in parse_qs(body).items()}
        except ValueError:
            return self.reply(400, {"error": "body is neither JSON nor a form"})
        self.route(fields if isinstance(fields, dict) else {})

    def route(self, fields):
        url = urlparse(self.path)
        if url.path == "/health":
            return self.reply(200, {"ok": True})
        if url.path != "/score":
            return self.reply(404, {"error": "not found"})
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        query.update(fields)
        try:
            amount = float(query.get("amount") or 0)
        except (TypeError, ValueError):
            return self.reply(400, {"error": "amount must be a number"})
        self.reply(200, {"risk": risk_of(str(query.get("customer", "")), amount)})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass  # a line per request would drown the drill's log


def leave_with_parent():
    parent = int(os.environ.get("PARENT_PID") or 0)
    while parent:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)  # the harness is gone and nobody else would stop us
        except PermissionError:
            pass  # alive, just not ours
        time.sleep(1)


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--port", type=int, default=int(os.environ.get("FRAUD_API_PORT") or 0))
    args.add_argument("--host", default=os.environ.get("FRAUD_API_HOST") or "127.0.0.1")
    opts = args.parse_args()
    if not opts.port:
        print("fraud-api: no port (set FRAUD_API_PORT or pass --port)", file=sys.stderr)
        sys.exit(2)
    server = ThreadingHTTPServer((opts.host, opts.port), Handler)
    server.daemon_threads = True  # open keep-alive connections must not hold up an exit
    threading.Thread(target=leave_with_parent, daemon=True).start()
    # serve_forever runs in this (main) thread, where Python delivers signals: SystemExit ends it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    print(f"fraud-api: listening on {opts.host}:{opts.port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
