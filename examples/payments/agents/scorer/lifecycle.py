"""What makes the scorer a good citizen of a drill: it stops on SIGTERM, it leaves when the
harness that started it is gone, and it shows its counters to Prometheus."""
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GRACE_S = 5


def install(log):
    """Returns the event the main loop stops on."""
    stop = threading.Event()

    def on_signal(signum, _frame):
        log(f"{signal.Signals(signum).name}: stopping")
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    parent = int(os.environ.get("PARENT_PID") or 0)
    if parent:
        threading.Thread(target=_leave_with, args=(parent, stop, log), daemon=True).start()
    return stop


def _leave_with(parent, stop, log):
    while True:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            break
        except PermissionError:
            pass  # alive, just not ours to signal
        time.sleep(1)
    log(f"parent {parent} is gone: stopping")
    stop.set()
    time.sleep(GRACE_S)
    os._exit(1)  # a clean stop did not finish in time; nobody else is left to end us


def serve_metrics(port, counters, prefix):
    class Metrics(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?")[0] != "/metrics":
                self.send_error(404)
                return
            body = "".join(f"# TYPE {prefix}{k} counter\n{prefix}{k} {v}\n" for k, v in counters.items()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    # All interfaces: in a container the scraper is outside; locally the port is a free one.
    server = ThreadingHTTPServer(("0.0.0.0", port), Metrics)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
