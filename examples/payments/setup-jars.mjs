// The jars the ledger runs on: kafka-clients and what it needs at run time (slf4j-api and the
// compression codecs: a record compressed by any producer must not crash the ledger).
// Taken from the Kafka install agentdrill already keeps, else from Maven Central, checked
// against Central's SHA-1 files.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const central = 'https://repo1.maven.org/maven2';
const runtimeDeps = ['slf4j-api', 'lz4-java', 'snappy-java', 'zstd-jni'];

/** Copies the jars into `libs`; returns their file names. */
export async function kafkaClientJars({ libs, kafkaHome, version, log }) {
  fs.mkdirSync(libs, { recursive: true });
  const local = fromInstall(path.join(kafkaHome, 'libs'), version);
  if (local) {
    for (const file of local) fs.copyFileSync(file, path.join(libs, path.basename(file)));
    return local.map((f) => path.basename(f));
  }
  log(`no Kafka ${version} install at ${kafkaHome}: fetching kafka-clients from Maven Central`);
  const coordinates = [{ group: 'org.apache.kafka', artifact: 'kafka-clients', version }, ...(await runtimeDepsOf(version))];
  const names = [];
  for (const c of coordinates) {
    const name = `${c.artifact}-${c.version}.jar`;
    fs.writeFileSync(path.join(libs, name), await download(`${central}/${c.group.replaceAll('.', '/')}/${c.artifact}/${c.version}/${name}`));
    names.push(name);
  }
  return names;
}

function fromInstall(dir, version) {
  if (!fs.existsSync(path.join(dir, `kafka-clients-${version}.jar`))) return undefined;
  const present = fs.readdirSync(dir);
  const found = [`kafka-clients-${version}.jar`];
  for (const dep of runtimeDeps) {
    const jar = present.find((f) => f.startsWith(`${dep}-`) && /^\d/.test(f.slice(dep.length + 1)) && f.endsWith('.jar'));
    if (!jar) return undefined; // a trimmed install: take the whole set from Central instead
    found.push(jar);
  }
  return found.map((f) => path.join(dir, f));
}

/** The compile and runtime dependencies kafka-clients' own POM names, with their versions. */
async function runtimeDepsOf(version) {
  const pom = (await download(`${central}/org/apache/kafka/kafka-clients/${version}/kafka-clients-${version}.pom`)).toString('utf8');
  const deps = [];
  for (const [, block] of pom.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const field = (name) => new RegExp(`<${name}>\\s*([^<]+?)\\s*</${name}>`).exec(block)?.[1];
    const scope = field('scope') ?? 'compile';
    if ((scope === 'compile' || scope === 'runtime') && field('optional') !== 'true') {
      deps.push({ group: field('groupId'), artifact: field('artifactId'), version: field('version') });
    }
  }
  if (deps.some((d) => !d.group || !d.artifact || !d.version || d.version.includes('$'))) {
    throw new Error(`kafka-clients ${version}'s POM names a dependency without a plain version; set AGENTDRILL_KAFKA_HOME to a Kafka install instead`);
  }
  return deps;
}

async function download(url) {
  const get = async (u) => {
    const res = await fetch(u, { signal: AbortSignal.timeout(120_000) }).catch((e) => {
      throw new Error(`cannot reach ${u} (${e.cause?.code ?? e.message}); is Maven Central reachable?`);
    });
    if (!res.ok) throw new Error(`${u} answered HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
  const [body, sha1] = await Promise.all([get(url), get(`${url}.sha1`)]);
  const want = sha1.toString('utf8').trim().split(/\s+/)[0];
  const got = createHash('sha1').update(body).digest('hex');
  if (got !== want) throw new Error(`${url} does not match its SHA-1 (${got}, Central says ${want})`);
  return body;
}
