"""Payments scorer: reads payment requests, asks the fraud API for a risk score, writes the
scored payment on. Configured only by its environment, as it is in production:

  KAFKA_BOOTSTRAP, IN_TOPIC, OUT_TOPIC, GROUP_ID, FRAUD_API_URL (base URL), STATE_FILE,
  INSTANCE_ID; optional METRICS_PORT (Prometheus text on :METRICS_PORT/metrics) and PARENT_PID
  (leave when that process is gone).

Delivery is at-least-once: offsets are committed only after the scored records are acknowledged,
and a payment whose score cannot be had is held (not committed, not passed on unscored).
"""
import json
import os
import sys

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

import fraud
import lifecycle
import state

env = os.environ
ME = f"scorer {env.get('INSTANCE_ID', '?')}"
counters = {"processed_total": 0, "invalid_inputs_total": 0, "fraud_api_errors_total": 0}


def log(message):
    print(f"{ME}: {message}", file=sys.stderr, flush=True)


def main():
    missing = [n for n in ("KAFKA_BOOTSTRAP", "IN_TOPIC", "OUT_TOPIC", "GROUP_ID", "FRAUD_API_URL", "STATE_FILE") if not env.get(n)]
    if missing:
        log(f"missing environment: {', '.join(missing)}")
        sys.exit(2)
    totals = state.load_or_exit(env["STATE_FILE"], log)
    saver = state.Saver(env["STATE_FILE"], totals)
    stop = lifecycle.install(log)
    if env.get("METRICS_PORT"):
        lifecycle.serve_metrics(int(env["METRICS_PORT"]), counters, prefix="scorer_")
    scores = fraud.Client(env["FRAUD_API_URL"], counters, stop, log)

    consumer = Consumer({
        "bootstrap.servers": env["KAFKA_BOOTSTRAP"],
        "group.id": env["GROUP_ID"],
        "client.id": env.get("INSTANCE_ID", "scorer"),
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        # A killed member is noticed in seconds, not the 45 s default: drills measure recovery.
        "session.timeout.ms": 10000,
        "heartbeat.interval.ms": 1000,
    })
    producer = Producer({"bootstrap.servers": env["KAFKA_BOOTSTRAP"], "client.id": env.get("INSTANCE_ID", "scorer"),
                         "acks": "all", "enable.idempotence": True, "linger.ms": 5})
    consumer.subscribe([env["IN_TOPIC"]])
    log(f"consuming {env['IN_TOPIC']} -> {env['OUT_TOPIC']} in group {env['GROUP_ID']}; {len(totals)} customer totals loaded")
    try:
        while not stop.is_set():
            # Small batches: a batch is scored call by call, and a rebalance (or a commit) waits for
            # the batch in hand; at 100 ms a call, 200 payments would hold the whole group for 20 s.
            batch = consumer.consume(num_messages=20, timeout=0.5)
            done = {}
            for i, msg in enumerate(batch):
                if msg.error():
                    log(f"consume: {msg.error()}")
                    continue
                if stop.is_set() or not handle(msg, producer, scores, totals):
                    rewind(consumer, batch[i:])
                    stop.wait(1)  # the fraud API is failing: try the same payment again shortly
                    break
                done[(msg.topic(), msg.partition())] = msg.offset() + 1
                saver.changed()
            if done:
                commit_after_acks(producer, consumer, done, stop)
            saver.maybe_save()
    finally:
        saver.save()
        producer.flush(5)
        consumer.close()  # leaves the group now, so the others take over without a session timeout
        log("stopped")


def handle(msg, producer, scores, totals):
    """Scores and forwards one payment; False when it has to wait for another try."""
    try:
        payment = json.loads(msg.value())
        customer, amount = str(payment["customer"]), float(payment["amount"])
    except (TypeError, ValueError, KeyError):
        counters["invalid_inputs_total"] += 1  # a poison record is counted and passed over, never fatal
        return True
    risk = scores.risk(customer, amount)
    if risk is None:
        return False
    totals[customer] = round(totals.get(customer, 0) + amount, 2)
    payment.update({"risk": risk, "customerTotal": totals[customer]})
    # Key and headers travel on unchanged: the drill's stamp must reach the end of the pipeline.
    producer.produce(env["OUT_TOPIC"], json.dumps(payment).encode(), key=msg.key(), headers=msg.headers() or [],
                     on_delivery=note_delivery)
    producer.poll(0)
    counters["processed_total"] += 1
    return True


def rewind(consumer, unhandled):
    """Moves back to the first payment not handled on each partition, so none is skipped."""
    first = {}
    for msg in unhandled:
        if not msg.error():
            first.setdefault((msg.topic(), msg.partition()), msg.offset())
    for (topic, partition), offset in first.items():
        try:
            consumer.seek(TopicPartition(topic, partition, offset))
        except KafkaException as e:
            log(f"seek skipped: {e}")  # no longer ours: its new owner starts from the last commit


delivery_errors = []


def note_delivery(err, _msg):
    if err is not None:
        delivery_errors.append(err)


def commit_after_acks(producer, consumer, done, stop):
    while producer.flush(1) > 0:
        if stop.is_set():
            return  # not all acknowledged: committing now could lose them
    if delivery_errors:
        # The batch is partly unwritten; restarting replays it from the last commit.
        log(f"delivery to {env['OUT_TOPIC']} failed ({delivery_errors[0]}); exiting to replay")
        sys.exit(1)
    try:
        consumer.commit(offsets=[TopicPartition(t, p, o) for (t, p), o in done.items()], asynchronous=False)
    except KafkaException as e:
        # Typically a rebalance took the partitions away; their new owner replays from the last commit.
        log(f"commit skipped: {e}")


if __name__ == "__main__":
    main()
