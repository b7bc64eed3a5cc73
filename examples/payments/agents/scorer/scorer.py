"""Payments scorer: reads payment requests, asks the fraud API for a risk score, writes the
scored payment on. Configured only by its environment, as it is in production.

State: per-customer running totals in STATE_FILE, written atomically. A file that cannot be
read is refused (exit 3): scoring on top of wrong totals would be worse than not scoring.
"""
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from confluent_kafka import Consumer, KafkaException, Producer

env = os.environ
STATE_FILE = env["STATE_FILE"]
counters = {"processed_total": 0, "invalid_inputs_total": 0, "fraud_api_errors_total": 0}
running = True


def load_state():
    if not os.path.exists(STATE_FILE):
        return {}
    try:
        with open(STATE_FILE, encoding="utf-8") as f:
            state = json.load(f)
        totals = state["totals"]
        if not isinstance(totals, dict) or not all(isinstance(v, (int, float)) for v in totals.values()):
            raise ValueError("totals must map customers to numbers")
        return totals
    except Exception as e:  # noqa: BLE001 - any unreadable state is the same failure
        print(f"scorer: state file {STATE_FILE} is unreadable ({e}); refusing to start", file=sys.stderr, flush=True)
        sys.exit(3)


def save_state(totals):
    tmp = f"{STATE_FILE}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"totals": totals, "savedAt": time.time()}, f)
    os.replace(tmp, STATE_FILE)


def risk_of(customer, amount):
    query = urllib.parse.urlencode({"customer": customer, "amount": amount})
    for attempt in range(3):
        try:
            with urllib.request.urlopen(f"{env['FRAUD_API_URL']}/score?{query}", timeout=5) as res:
                return json.load(res)["risk"]
        except Exception:  # noqa: BLE001 - retried, then counted
            counters["fraud_api_errors_total"] += 1
            time.sleep(0.2 * (attempt + 1))
    return None


def serve_metrics():
    class Metrics(BaseHTTPRequestHandler):
        def do_GET(self):
            body = "".join(f"# TYPE scorer_{k} counter\nscorer_{k} {v}\n" for k, v in counters.items()).encode()
            self.send_response(200 if self.path == "/metrics" else 404)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", int(env["METRICS_PORT"])), Metrics)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def watch_parent():
    parent = int(env.get("PARENT_PID") or 0)
    while parent and running:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)  # the harness is gone; nobody will stop us otherwise
        time.sleep(1)


def stop(*_):
    global running
    running = False


def main():
    totals = load_state()
    if env.get("METRICS_PORT"):
        serve_metrics()
    threading.Thread(target=watch_parent, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    consumer = Consumer({
        "bootstrap.servers": env["KAFKA_BOOTSTRAP"],
        "group.id": env["GROUP_ID"],
        "client.id": env.get("INSTANCE_ID", "scorer"),
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "session.timeout.ms": 10000,
    })
    producer = Producer({"bootstrap.servers": env["KAFKA_BOOTSTRAP"], "linger.ms": 5, "acks": "all"})
    consumer.subscribe([env["IN_TOPIC"]])
    last_save = 0.0
    try:
        while running:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                handle(msg, producer, totals)
                producer.flush(10)
                consumer.commit(message=msg, asynchronous=False)
            if time.time() - last_save > 0.5:
                save_state(totals)
                last_save = time.time()
    except KafkaException as e:
        print(f"scorer: kafka error {e}", file=sys.stderr, flush=True)
        raise
    finally:
        save_state(totals)
        producer.flush(5)
        consumer.close()


def handle(msg, producer, totals):
    try:
        payment = json.loads(msg.value())
        customer, amount = str(payment["customer"]), float(payment["amount"])
    except Exception:  # noqa: BLE001 - bad input is counted, never fatal
        counters["invalid_inputs_total"] += 1
        return
    risk = risk_of(customer, amount)
    totals[customer] = round(totals.get(customer, 0) + amount, 2)
    payment.update({"risk": risk, "customerTotal": totals[customer]})
    # Headers travel on: the drill's stamp must reach the end of the pipeline.
    producer.produce(env["OUT_TOPIC"], json.dumps(payment).encode(), key=msg.key(), headers=msg.headers() or [])
    counters["processed_total"] += 1


if __name__ == "__main__":
    main()
