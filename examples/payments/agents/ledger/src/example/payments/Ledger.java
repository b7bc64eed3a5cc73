package example.payments;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Books every scored payment: reads the scored topic, writes the booked entry on, key and headers
 * unchanged (the drill's stamp travels in a header). Offsets are committed only after every send
 * of a batch is acknowledged, so a kill replays rather than loses.
 *
 * <p>Environment: KAFKA_BOOTSTRAP, IN_TOPIC, OUT_TOPIC, GROUP_ID, INSTANCE_ID; PARENT_PID (leave
 * when that process is gone). {@code --check}: see {@link #check()}.
 */
public final class Ledger {
  private static final String ME = "ledger " + System.getenv().getOrDefault("INSTANCE_ID", "?");

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--check")) {
      check();
      return;
    }
    Map<String, String> env = System.getenv();
    List<String> missing = new ArrayList<>();
    for (String name : List.of("KAFKA_BOOTSTRAP", "IN_TOPIC", "OUT_TOPIC", "GROUP_ID")) {
      if (env.getOrDefault(name, "").isEmpty()) missing.add(name);
    }
    if (!missing.isEmpty()) {
      log("missing environment: " + String.join(", ", missing));
      System.exit(2);
    }
    String out = env.get("OUT_TOPIC");
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(env));
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(env));
    AtomicBoolean running = new AtomicBoolean(true);
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.set(false);
      consumer.wakeup();
      try {
        main.join(8000); // the main loop closes both clients, leaving the group at once
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    ParentWatch.start(env.get("PARENT_PID"), Ledger::log);
    try {
      consumer.subscribe(List.of(env.get("IN_TOPIC")));
      log("consuming " + env.get("IN_TOPIC") + " -> " + out + " in group " + env.get("GROUP_ID"));
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) continue;
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
          sends.add(producer.send(new ProducerRecord<>(out, null, r.key(), book(r.value()), r.headers())));
        }
        awaitAcks(sends, out);
        try {
          consumer.commitSync();
        } catch (CommitFailedException | RebalanceInProgressException e) {
          // The partitions moved on; their new owner replays from the last commit (at-least-once).
          log("commit skipped: " + e.getMessage());
        }
      }
    } catch (WakeupException expected) {
      // SIGTERM or the parent is gone: fall through to a clean close
    } finally {
      producer.close(Duration.ofSeconds(5));
      consumer.close(Duration.ofSeconds(5));
      log("stopped");
    }
  }

  private static Properties consumerConfig(Map<String, String> env) {
    Properties c = new Properties();
    c.put("bootstrap.servers", env.get("KAFKA_BOOTSTRAP"));
    c.put("group.id", env.get("GROUP_ID"));
    c.put("client.id", env.getOrDefault("INSTANCE_ID", "ledger"));
    c.put("enable.auto.commit", "false");
    c.put("auto.offset.reset", "earliest");
    // A killed member is noticed in seconds, not the 45 s default: drills measure recovery.
    c.put("session.timeout.ms", "10000");
    c.put("heartbeat.interval.ms", "1000");
    c.put("key.deserializer", ByteArrayDeserializer.class.getName());
    c.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return c;
  }

  private static Properties producerConfig(Map<String, String> env) {
    Properties p = new Properties();
    p.put("bootstrap.servers", env.get("KAFKA_BOOTSTRAP"));
    p.put("client.id", env.getOrDefault("INSTANCE_ID", "ledger"));
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "5");
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    return p;
  }

  /** Blocks until every send is acknowledged; a failed one ends the process before any commit. */
  private static void awaitAcks(List<Future<RecordMetadata>> sends, String topic) throws InterruptedException {
    for (Future<RecordMetadata> f : sends) {
      try {
        f.get();
      } catch (ExecutionException e) {
        // Nothing of this batch is committed: a restart replays it.
        log("delivery to " + topic + " failed (" + e.getCause() + "); exiting to replay");
        throw new KafkaException("delivery failed", e.getCause());
      }
    }
  }

  /** The scored payment with "booked": true added; a value that is not a JSON object passes as is. */
  static byte[] book(byte[] value) {
    String text = value == null ? "" : new String(value, StandardCharsets.UTF_8).trim();
    if (!text.startsWith("{") || !text.endsWith("}")) return value;
    String inner = text.substring(1, text.length() - 1).trim();
    // The scorer writes flat JSON objects; appending a member keeps every byte of theirs intact.
    String booked = inner.isEmpty() ? "{\"booked\": true}" : "{" + inner + ", \"booked\": true}";
    return booked.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Builds and closes both clients once, without a broker: a build with a missing jar fails at
   * build time, and setup records the classes loaded here in a CDS archive for a faster start.
   */
  private static void check() {
    Map<String, String> env = Map.of("KAFKA_BOOTSTRAP", "127.0.0.1:9", "GROUP_ID", "check");
    new KafkaConsumer<byte[], byte[]>(consumerConfig(env)).close(Duration.ZERO);
    new KafkaProducer<byte[], byte[]>(producerConfig(env)).close(Duration.ZERO);
    System.out.println("kafka-clients " + AppInfoParser.getVersion());
  }

  static void log(String message) {
    System.err.println(ME + ": " + message);
  }
}
