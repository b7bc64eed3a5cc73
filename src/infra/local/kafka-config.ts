import { randomBytes } from 'node:crypto';

export interface KafkaServerConfig {
  host: string;
  brokerPort: number;
  controllerPort: number;
  logDir: string;
}

/**
 * One node that is both broker and controller (KRaft combined mode), tuned for a single-broker
 * drill: internal topics with replication factor 1, no rebalance delay (drills measure
 * seconds), and no auto-created topics so a typo in a topic name fails loudly.
 */
export function renderServerProperties(c: KafkaServerConfig): string {
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.bootstrap.servers': `${c.host}:${c.controllerPort}`,
    listeners: `PLAINTEXT://${c.host}:${c.brokerPort},CONTROLLER://${c.host}:${c.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${c.host}:${c.brokerPort},CONTROLLER://${c.host}:${c.controllerPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': c.logDir,
    'num.partitions': 1,
    'auto.create.topics.enable': false,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${escapeValue(String(v))}`)
    .join('\n')}\n`;
}

/** java.util.Properties treats backslash as an escape; paths on odd systems must survive. */
function escapeValue(value: string): string {
  return value.replaceAll('\\', '\\\\');
}

/** log4j2 properties: `level` and up, to a file when given, else to stderr. */
export function renderLog4j2(level: 'WARN' | 'ERROR' | 'INFO', file?: string): string {
  const lines = ['status = error', 'name = agentdrill'];
  if (file) {
    lines.push(
      'appender.main.type = File',
      'appender.main.name = main',
      `appender.main.fileName = ${escapeValue(file)}`,
    );
  } else {
    lines.push('appender.main.type = Console', 'appender.main.name = main', 'appender.main.target = SYSTEM_ERR');
  }
  lines.push(
    'appender.main.layout.type = PatternLayout',
    'appender.main.layout.pattern = [%d] %p %m (%c)%n',
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.main.ref = main',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * A KRaft cluster id as Kafka's Uuid.toString() prints it: 16 random bytes, url-safe base64
 * without padding (22 chars). Like Uuid.randomUuid(), avoid a leading '-', which command-line
 * parsers would take for an option.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    // The regex rejects the all-zero id and the few tiny ones Kafka reserves (e.g. the metadata topic's).
    const id = random(16).toString('base64url');
    if (!id.startsWith('-') && !/^A{21}[AQgw]$/.test(id)) return id;
  }
}

/**
 * Heap and GC kept small: a 2-core laptop runs the broker next to a whole agent fleet. A drill's
 * broker lives a minute or two at a few hundred records/s, so the C2 compiler's work never pays
 * back: C1 only and the serial collector cut the broker's CPU in a drill by about a quarter
 * (30 → 22 CPU-seconds in one kill-consumer drill), CPU the fleet and the sampler need on a loaded runner.
 */
export const brokerJvmArgs = ['-Xms256m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true'];

/** Tools are short-lived: the client compiler and serial GC start them noticeably faster. */
export const toolJvmArgs = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];
