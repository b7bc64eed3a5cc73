import { describe, expect, it } from 'vitest';
import { newClusterId, renderLog4j2, renderServerProperties } from '../../src/infra/local/kafka-config.ts';
import { containerServerProperties, kafkaAlias } from '../../src/infra/docker/kafka-container.ts';
import { renderPom } from '../../src/infra/local/provision-kafka.ts';
import { renderToolWrapper } from '../../src/infra/local/tools.ts';
import { parseVersion } from '../../src/infra/local/toxiproxy-process.ts';

function parseProperties(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('renderServerProperties', () => {
  const props = parseProperties(renderServerProperties({ host: '127.0.0.1', brokerPort: 19092, controllerPort: 19093, logDir: '/w/kafka/data' }));

  it('configures one combined KRaft node on loopback', () => {
    expect(props['process.roles']).toBe('broker,controller');
    expect(props['node.id']).toBe('1');
    expect(props['controller.quorum.bootstrap.servers']).toBe('127.0.0.1:19093');
    expect(props.listeners).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props['advertised.listeners']).toContain('PLAINTEXT://127.0.0.1:19092');
    expect(props['controller.listener.names']).toBe('CONTROLLER');
    expect(props['log.dirs']).toBe('/w/kafka/data');
  });

  it('suits a single broker drill', () => {
    expect(props['offsets.topic.replication.factor']).toBe('1');
    expect(props['transaction.state.log.replication.factor']).toBe('1');
    expect(props['transaction.state.log.min.isr']).toBe('1');
    expect(props['group.initial.rebalance.delay.ms']).toBe('0');
    expect(props['num.partitions']).toBe('1');
    expect(props['auto.create.topics.enable']).toBe('false');
  });

  it('escapes backslashes, which java.util.Properties would swallow', () => {
    const text = renderServerProperties({ host: '127.0.0.1', brokerPort: 1, controllerPort: 2, logDir: 'C:\\data' });
    expect(text).toContain('log.dirs=C:\\\\data');
  });
});

describe('newClusterId', () => {
  it('is 22 url-safe base64 chars, like Kafka Uuid.toString()', () => {
    for (let i = 0; i < 200; i++) expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });

  it('retries ids that start with "-" or are reserved', () => {
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0), Buffer.from('0123456789abcdef')];
    const id = newClusterId(() => draws.shift()!);
    expect(id).toBe(Buffer.from('0123456789abcdef').toString('base64url'));
    expect(draws).toHaveLength(0);
  });
});

describe('renderLog4j2', () => {
  it('logs to a file when given one, else to stderr', () => {
    expect(renderLog4j2('WARN', '/w/broker.log')).toContain('appender.main.fileName = /w/broker.log');
    expect(renderLog4j2('WARN', '/w/broker.log')).toContain('rootLogger.level = WARN');
    expect(renderLog4j2('ERROR')).toContain('appender.main.target = SYSTEM_ERR');
  });
});

describe('renderPom', () => {
  it('depends on the broker, the tools and a log4j binding', () => {
    const pom = renderPom('4.1.1');
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId><version>4.1.1</version>');
    expect(pom).toContain('<artifactId>kafka-tools</artifactId><version>4.1.1</version>');
    expect(pom).toContain('<artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version>');
  });
});

describe('renderToolWrapper', () => {
  it('execs java with quoted paths and passes arguments through', () => {
    const text = renderToolWrapper({ java: '/usr/bin/java', libsDir: "/it's/libs", log4jFile: '/w/t.properties', mainClass: 'org.X' });
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toContain(`'/it'\\''s/libs/*'`);
    expect(text.trimEnd().endsWith(`'org.X' "$@"`)).toBe(true);
  });
});

describe('parseVersion', () => {
  it('reads JSON and plain-text /version answers', () => {
    expect(parseVersion('{"version": "v2.12.0"}\n')).toBe('v2.12.0');
    expect(parseVersion('2.1.4\n')).toBe('2.1.4');
  });
});

describe('containerServerProperties (docker provider)', () => {
  it('advertises the host listener on loopback and the in-network one under the short alias', () => {
    const props = parseProperties(containerServerProperties({ hostPort: 39092, networkAlias: kafkaAlias }));
    expect(props['advertised.listeners']).toBe('HOST://127.0.0.1:39092,INTERNAL://kafka:19092,CONTROLLER://localhost:19093');
    expect(props['inter.broker.listener.name']).toBe('INTERNAL');
    expect(props['listener.security.protocol.map']).toBe('HOST:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT');
    // Every other key is the local provider's tuning.
    expect(props['auto.create.topics.enable']).toBe('false');
  });
});
