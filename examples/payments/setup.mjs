#!/usr/bin/env node
// Builds what the payments example's commands run: a Python venv with its Kafka client beside a
// copy of the scorer, and the compiled Java ledger with the jars it needs, plus a launcher for
// each (.build/bin/scorer, .build/bin/ledger). Cached per user under a hash of the sources, the
// pinned versions and the interpreters, so a second run (every drill, every test) takes
// milliseconds; built in a temp folder and renamed, so two runs at once cannot leave half a build.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaClientJars } from './setup-jars.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pins = { 'confluent-kafka': '2.16.1', kafka: process.env.AGENTDRILL_KAFKA_VERSION || '4.1.1' };
const jdk = 'install a JDK 17 (apt-get install -y openjdk-17-jdk-headless)';
const staleTmpMs = 3_600_000;

export async function setupPaymentsExample({ log = (m) => console.log(`payments setup: ${m}`) } = {}) {
  const cacheBase = process.env.AGENTDRILL_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'agentdrill');
  const tools = { python: need('python3', 'apt-get install -y python3 python3-venv'), java: need('java', jdk) };
  const root = path.join(cacheBase, 'examples', 'payments');
  const build = path.join(root, buildKey(tools));
  if (fs.existsSync(path.join(build, 'done'))) {
    archiveLedgerClasses(build); // normally there already; a run that died just before it leaves it to us
    log(`cached (${build})`);
  } else {
    fs.mkdirSync(root, { recursive: true });
    removeStaleTemps(root);
    const tmp = path.join(root, `.tmp-${randomBytes(4).toString('hex')}`);
    try {
      const started = Date.now();
      await buildInto(tmp, { ...tools, javac: need('javac', jdk), jar: need('jar', jdk) }, cacheBase, log);
      fs.writeFileSync(path.join(tmp, 'done'), `${JSON.stringify({ pins, builtAt: new Date().toISOString() })}\n`);
      try {
        fs.renameSync(tmp, build);
      } catch (e) {
        // Another run finished first: its build is as good as ours.
        if (!fs.existsSync(path.join(build, 'done'))) throw e;
      }
      // After the rename: the archive records the jars' final paths, and the ledger runs without it.
      if (!archiveLedgerClasses(build)) log('no CDS archive for the ledger (it starts, only slower)');
      log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s (${build})`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  pointAt(path.join(here, '.build'), build);
  return build;
}

/** What the build depends on; the interpreters by their resolved paths (a venv is tied to its python). */
function buildKey(tools) {
  const hash = createHash('sha256').update(JSON.stringify({ pins, python: fs.realpathSync(tools.python), java: fs.realpathSync(tools.java) }));
  for (const file of sourceFiles()) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(here, file)));
  return hash.digest('hex').slice(0, 16);
}

function sourceFiles() {
  const under = (dir) =>
    fs.readdirSync(path.join(here, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? under(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const agents = under('agents').filter((f) => f.endsWith('.py') || f.endsWith('.java'));
  return ['setup.mjs', 'setup-jars.mjs', ...agents].sort();
}

async function buildInto(dir, tools, cacheBase, log) {
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });

  log(`python venv with confluent-kafka ${pins['confluent-kafka']}`);
  const venv = path.join(dir, 'venv');
  run(tools.python, ['-m', 'venv', venv], (out) =>
    /ensurepip/i.test(out) ? 'python3 cannot create a venv: apt-get install -y python3-venv' : `python3 -m venv failed: ${lastLine(out)}`,
  );
  const python = path.join(venv, 'bin', 'python');
  const wanted = `confluent-kafka==${pins['confluent-kafka']}`;
  // Wheels only: they bundle librdkafka, and a source build would need its headers and a compiler.
  run(python, ['-m', 'pip', 'install', '--quiet', '--no-input', '--disable-pip-version-check', '--only-binary=:all:', wanted], (out) =>
    `pip could not install ${wanted} from PyPI (reachable? a wheel for this Python and platform?): ${lastLine(out)}`,
  );
  // A copy, not the source folder: the launcher then serves any clone that hashes the same.
  const scorer = path.join(dir, 'scorer');
  fs.mkdirSync(scorer);
  for (const f of fs.readdirSync(path.join(here, 'agents', 'scorer')).filter((n) => n.endsWith('.py'))) {
    fs.copyFileSync(path.join(here, 'agents', 'scorer', f), path.join(scorer, f));
  }
  run(python, ['-m', 'compileall', '-q', scorer], (out) => `the scorer does not compile: ${lastLine(out)}`);
  // The scorer image's build context (agents/scorer/Dockerfile): its sources and the client's
  // wheels, fetched here where PyPI is reachable, so `docker build` needs no network of its own.
  const scorerImage = path.join(dir, 'scorer-image');
  fs.mkdirSync(scorerImage);
  for (const f of fs.readdirSync(scorer).filter((n) => n.endsWith('.py'))) fs.copyFileSync(path.join(scorer, f), path.join(scorerImage, f));
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch] ?? process.arch;
  run(
    python,
    ['-m', 'pip', 'download', '--quiet', '--no-input', '--disable-pip-version-check', '--only-binary=:all:', '--implementation', 'cp', '--python-version', '3.11',
      '--platform', `manylinux_2_28_${arch}`, '--platform', `manylinux2014_${arch}`, '--dest', path.join(scorerImage, 'wheels'), wanted],
    (out) => `pip could not download the ${wanted} wheel for the scorer image (Python 3.11, ${arch}): ${lastLine(out)}`,
  );
  run(python, ['-c', 'import confluent_kafka'], (out) => `confluent-kafka does not load in the venv: ${lastLine(out)}`);

  const kafkaHome = process.env.AGENTDRILL_KAFKA_HOME || path.join(cacheBase, `kafka-${pins.kafka}`);
  const jars = await kafkaClientJars({ libs: path.join(dir, 'libs'), kafkaHome, version: pins.kafka, log });
  log(`compiling the ledger against ${jars.join(', ')}`);
  const classes = path.join(dir, 'classes');
  const sources = sourceFiles().filter((f) => f.endsWith('.java')).map((f) => path.join(here, f));
  run(tools.javac, ['--release', '17', '-nowarn', '-cp', path.join(dir, 'libs', '*'), '-d', classes, ...sources], (out) => `javac failed: ${out.split('\n').find((l) => l.includes('error:')) ?? lastLine(out)}`);
  run(tools.jar, ['--create', '--file', path.join(dir, 'ledger.jar'), '-C', classes, '.'], (out) => `jar failed: ${lastLine(out)}`);
  fs.rmSync(classes, { recursive: true });
  // The ledger image's build context (agents/ledger/Dockerfile): the jar and its libraries, copied
  // so the context holds files, not links to a cache the engine cannot see.
  const image = path.join(dir, 'ledger-image');
  fs.mkdirSync(path.join(image, 'libs'), { recursive: true });
  fs.copyFileSync(path.join(dir, 'ledger.jar'), path.join(image, 'ledger.jar'));
  for (const lib of fs.readdirSync(path.join(dir, 'libs'))) fs.copyFileSync(path.join(dir, 'libs', lib), path.join(image, 'libs', lib));

  // Each launcher finds its build from its own real path, wherever .build or a clone is; `exec`
  // makes the agent's pid the launcher's, so the harness's signals reach the agent itself.
  launcher(path.join(dir, 'bin', 'scorer'), 'exec "$b/venv/bin/python" "$b/scorer/scorer.py" "$@"');
  launcher(
    path.join(dir, 'bin', 'ledger'),
    [
      'cds=-Xshare:auto',
      '[ -f "$b/ledger.jsa" ] && cds="-XX:SharedArchiveFile=$b/ledger.jsa"',
      // Start-up over peak speed: C1 only, the serial collector. LEDGER_JAVA_OPTS adds -Xmx and the like.
      'exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k "$cds" $LEDGER_JAVA_OPTS -cp "$b/ledger.jar:$b/libs/*" example.payments.Ledger "$@"',
    ].join('\n'),
  );
  run(path.join(dir, 'bin', 'ledger'), ['--check'], (out) => `the ledger does not start: ${lastLine(out)}`);
}

/** A dynamic CDS archive of the classes the ledger loads: about half its JVM start-up. */
function archiveLedgerClasses(build) {
  const archive = path.join(build, 'ledger.jsa');
  const failed = path.join(build, 'no-cds');
  if (fs.existsSync(archive)) return true;
  if (fs.existsSync(failed)) return false;
  const tmp = `${archive}.${randomBytes(4).toString('hex')}`;
  const r = spawnSync(path.join(build, 'bin', 'ledger'), ['--check'], {
    env: { ...process.env, LEDGER_JAVA_OPTS: `-XX:ArchiveClassesAtExit=${tmp}` },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0 || !fs.existsSync(tmp)) {
    fs.rmSync(tmp, { force: true });
    fs.writeFileSync(failed, `${lastLine(`${r.stderr}${r.stdout}`) || String(r.error)}\n`); // tried once per build, not every run
    return false;
  }
  fs.renameSync(tmp, archive);
  return true;
}

function launcher(file, body) {
  fs.writeFileSync(file, `#!/bin/sh\nb="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)"\n${body}\n`, { mode: 0o755 });
}

function pointAt(link, target) {
  try {
    if (fs.readlinkSync(link) === target) return;
  } catch {
    // missing, or a real folder from elsewhere: replaced below
  }
  const tmp = `${link}.${randomBytes(4).toString('hex')}`;
  fs.symlinkSync(target, tmp);
  if (fs.existsSync(link) && !fs.lstatSync(link).isSymbolicLink()) fs.rmSync(link, { recursive: true, force: true });
  fs.renameSync(tmp, link); // atomic: a concurrent run sees the old link or the new one
}

/** Builds that crashed half-way leave their temp folder; one older than an hour is nobody's. */
function removeStaleTemps(root) {
  for (const name of fs.readdirSync(root)) {
    const full = path.join(root, name);
    if (name.startsWith('.tmp-') && Date.now() - fs.statSync(full).mtimeMs > staleTmpMs) fs.rmSync(full, { recursive: true, force: true });
  }
}

function need(tool, install) {
  const found = (process.env.PATH || '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, tool)).find((f) => isExecutable(f));
  if (!found) throw new Error(`${tool} is not on PATH: ${install}`);
  return found;
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function run(file, args, explain) {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(explain(`${r.stderr || ''}${r.stdout || ''}` || String(r.error ?? `killed by ${r.signal}`)));
}

function lastLine(text) {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? '(no output)';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  setupPaymentsExample().catch((e) => {
    console.error(`payments setup: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
