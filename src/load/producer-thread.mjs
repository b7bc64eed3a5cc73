// @ts-check
// One kafkajs producer in a worker thread (see producer-threads.ts for why). Plain JavaScript on
// purpose: a thread that only sends needs no TypeScript loader, which would cost every thread its
// own start-up and memory.
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const port = parentPort;
if (!port) throw new Error('producer-thread.mjs runs only as a worker thread');

/** @type {{ brokers: string[], clientId: string }} */
const config = workerData;
const kafka = new Kafka({ clientId: config.clientId, brokers: config.brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });

/** Structured cloning turns a Buffer into a plain Uint8Array, which kafkajs would not take as bytes. */
function bytes(v) {
  return v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}

function text(e) {
  return e instanceof Error ? e.message : String(e);
}

port.on('message', (/** @type {{ id: number, topic: string, messages: any[] } | { close: true }} */ m) => {
  if ('close' in m) {
    producer.disconnect().then(
      () => port.postMessage({ closed: true }),
      (e) => port.postMessage({ closed: true, error: text(e) }),
    );
    return;
  }
  const messages = m.messages.map((msg) => ({ ...msg, key: bytes(msg.key), value: bytes(msg.value) }));
  producer.send({ topic: m.topic, messages }).then(
    () => port.postMessage({ id: m.id }),
    (e) => port.postMessage({ id: m.id, error: text(e) }),
  );
});

producer.connect().then(
  () => port.postMessage({ ready: true }),
  (e) => port.postMessage({ ready: false, error: text(e) }),
);
