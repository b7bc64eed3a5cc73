"""Stand-in for the fraud service the scorer calls: deterministic risk from customer and amount.

Teams keep a stand-in like this for tests; the drill starts it and puts Toxiproxy in front.
"""
import hashlib
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/health":
            return self.reply(200, {"ok": True})
        if url.path == "/score":
            q = parse_qs(url.query)
            customer = q.get("customer", [""])[0]
            amount = float(q.get("amount", ["0"])[0] or 0)
            digest = hashlib.sha256(customer.encode()).digest()
            risk = round(min(1.0, digest[0] / 512 + min(amount, 10000) / 20000), 4)
            return self.reply(200, {"risk": risk})
        return self.reply(404, {"error": "not found"})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass  # one line per request would drown the drill's log


def main():
    port = int(os.environ.get("FRAUD_API_PORT") or sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
