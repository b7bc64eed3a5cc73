package example.payments;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Books every scored payment: reads the scored topic, writes the booked entry on, headers and
 * key unchanged (the drill's stamp travels in a header). Offsets are committed only after the
 * sends of a batch are acknowledged, so a kill replays rather than loses.
 */
public final class Ledger {
  public static void main(String[] args) throws Exception {
    String bootstrap = System.getenv("KAFKA_BOOTSTRAP");
    String in = System.getenv("IN_TOPIC");
    String out = System.getenv("OUT_TOPIC");
    Properties c = new Properties();
    c.put("bootstrap.servers", bootstrap);
    c.put("group.id", System.getenv("GROUP_ID"));
    c.put("client.id", System.getenv().getOrDefault("INSTANCE_ID", "ledger"));
    c.put("enable.auto.commit", "false");
    c.put("auto.offset.reset", "earliest");
    c.put("session.timeout.ms", "10000");
    c.put("key.deserializer", ByteArrayDeserializer.class.getName());
    c.put("value.deserializer", ByteArrayDeserializer.class.getName());
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("linger.ms", "5");
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());

    AtomicBoolean running = new AtomicBoolean(true);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.set(false);
      consumer.wakeup();
      try {
        main.join(8000);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }));
    watchParent();
    try {
      consumer.subscribe(List.of(in));
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          producer.send(new ProducerRecord<>(out, null, r.key(), book(r.value()), r.headers()));
        }
        if (!records.isEmpty()) {
          producer.flush();
          consumer.commitSync();
        }
      }
    } catch (WakeupException expected) {
      // shutting down
    } finally {
      producer.close(Duration.ofSeconds(5));
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The scored payment as JSON with "booked": true added; anything else is passed on as it is. */
  static byte[] book(byte[] value) {
    String text = value == null ? "" : new String(value, java.nio.charset.StandardCharsets.UTF_8).trim();
    if (!text.startsWith("{") || !text.endsWith("}")) return value;
    String inner = text.substring(1, text.length() - 1).trim();
    String booked = inner.isEmpty() ? "{\"booked\": true}" : "{" + inner + ", \"booked\": true}";
    return booked.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Leaves when the harness that started it is gone (PARENT_PID), as every drilled agent should. */
  static void watchParent() {
    String parent = System.getenv("PARENT_PID");
    if (parent == null || parent.isEmpty()) return;
    long pid = Long.parseLong(parent);
    Thread t = new Thread(() -> {
      while (true) {
        if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) Runtime.getRuntime().halt(1);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }
}
