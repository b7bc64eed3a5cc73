import { drillCommands } from '../context.ts';
import { pageShells } from '../page-sources.ts';
import { effectiveWords, type ShellWord } from '../shell.ts';
import type { LintRule, RuleFinding } from '../types.ts';

/** Shell builtins and keywords: always there. */
const builtins = new Set(
  ('. : [ [[ ]] alias bg break builtin cd command continue declare dirs disown echo enable eval exec exit export false fc fg ' +
    'getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return set shift ' +
    'shopt source suspend test times trap true type typeset ulimit umask unalias unset wait then else elif fi do done esac in')
    .split(' '),
);

/**
 * The tools an on-call engineer's laptop, bastion or pod has even when this machine does not:
 * cloud and cluster CLIs, network probes, database clients, Kafka's scripts. Missing here, they
 * are no news; a tool outside this list may be a typo or something the team must install.
 */
const onCallTools = new Set(
  ('sudo doas kubectl oc helm kustomize k9s az aws gcloud gsutil terraform vault consul nomad ping dig nslookup host telnet traceroute tracepath mtr nc ncat netcat ' +
    'ss netstat ip ifconfig tcpdump curl wget jq yq etcdctl crictl docker podman psql pg_dump pg_restore pg_basebackup pg_ctl patronictl mysql mysqldump ' +
    'redis-cli mongo mongosh cqlsh kcat kafkacat zookeeper-shell ssh scp rsync systemctl journalctl python python3 pip pip3 node npm git gh glab ' +
    'ceph rados rbd radosgw-admin openssl dmesg lsof strace iostat vmstat sar free top htop df du mount umount lsblk chronyc ntpq java jcmd jstack jmap keytool virtctl argocd flux istioctl linkerd')
    .split(' '),
);

const runsElsewhere = /\b(inside|in|into|on|from|within)\s+(the|a|an|that|this|each|every|any|its)?\s*([\w-]+\s+){0,2}?(pod|container|node|host|toolbox|terminal|bastion|console|vm|machine|broker|server|replica|primary)s?\b/i;

function onCallTool(name: string): boolean {
  return onCallTools.has(name) || /^kafka-[\w-]+(\.sh)?$/.test(name) || /^(gitlab|gitaly|chef|knife)-?[\w-]*$/.test(name);
}

/**
 * On the on-call profile a tool absent here (`oc`, `etcdctl` inside a pod) says little: on-call
 * runs the page from a laptop, a bastion or a pod that has it. So it is one warning per file,
 * naming each tool and its lines. A drill runs its steps on this machine, so there a missing
 * command in a step is an error, once per command.
 */
export const commandNotFound: LintRule = {
  id: 'command-not-found',
  severity: 'error',
  description: 'a command is not on PATH here: an error in a drill step, else one warning per file (it may exist where on-call runs)',
  check(runbook, context) {
    const findings: RuleFinding[] = [];
    const reported = new Set<string>();
    const elsewhere = new Map<string, number[]>();
    let first: { line: number; column: number } | undefined;
    for (const source of pageShells(runbook, context.commandExists)) {
      if (source.inline) continue;
      for (const command of source.scan.commands) {
        for (const name of new Set([command.words[0], effectiveWords(command.words)[0]])) {
          if (!name || !isCheckable(name, source.scan.functions) || source.remote(name.line) || context.commandExists(name.text)) continue;
          // "Open a shell in the OSD pod and run:": the prose says it runs over there.
          const drillStep = context.profile === 'drill' && source.drillStep;
          if (!drillStep && runsElsewhere.test(source.near)) continue;
          const at = source.position(name);
          if (drillStep) {
            if (reported.has(name.text)) continue;
            reported.add(name.text);
            findings.push({ ...at, message: `command "${name.text}" (${source.where}) is not on PATH`, hint: drillHint(name.text) });
          } else if (!onCallTool(name.text)) {
            first ??= at;
            const lines = elsewhere.get(name.text) ?? [];
            if (!lines.includes(at.line)) lines.push(at.line);
            elsewhere.set(name.text, lines);
          }
        }
      }
    }
    for (const name of reported) elsewhere.delete(name);
    if (first && elsewhere.size > 0) {
      const list = [...elsewhere].map(([name, lines]) => `${name} (line${lines.length > 1 ? 's' : ''} ${lines.slice(0, 4).join(', ')}${lines.length > 4 ? ', …' : ''})`);
      findings.push({
        ...first,
        severity: 'warning',
        message: `not on this machine's PATH: ${list.join(', ')}; they may exist where on-call runs this page`,
        hint: 'say on the page where to run them (a bastion, inside the pod) or how to get them; a drill would need them on PATH',
      });
    }
    return findings;
  },
};

/** Paths are the missing-file rule's; expansions are only known when the step runs; blanks are placeholders. */
function isCheckable(name: ShellWord, functions: ReadonlySet<string>): boolean {
  const text = name.text;
  return /^[A-Za-z][\w.+-]*$/.test(text) && !/^_+$/.test(text) && !builtins.has(text) && !functions.has(text);
}

function drillHint(text: string): string {
  const bare = text.replace(/\.sh$/, '');
  return drillCommands.includes(bare)
    ? `the drill puts ${bare} (without .sh) on PATH; write ${bare}`
    : `install ${text} where drills and on-call run, or use a command the drill provides (${drillCommands.join(', ')})`;
}
