/**
 * What a command or statement destroys, for the destructive-unguarded rule: deleting objects,
 * scaling to zero, removing files recursively, dropping tables, resetting offsets. Tools that
 * only read (grep, echo, cat …) are never destructive, whatever words they are given.
 */
const readOnlyTools = new Set(['grep', 'egrep', 'fgrep', 'rg', 'echo', 'printf', 'cat', 'less', 'more', 'head', 'tail', 'awk', 'jq', 'yq', 'man', 'wc', 'sort', 'uniq', 'cut', 'tr', 'column', 'watch', 'test', '[', 'true', 'false']);
const verbs = ['delete', 'destroy', 'purge', 'drop', 'uninstall', 'truncate', 'prune', 'flushall', 'flushdb'];
const sqlDestroys = /\b(drop\s+(table|database|schema|index|view|user|role|owned)\b|truncate\b|delete\s+from\b)/i;

export function destructiveAction(words: readonly string[]): string | undefined {
  const [name = '', ...args] = words;
  const tool = name.replace(/\.sh$/, '').split('/').pop()!;
  if (readOnlyTools.has(tool)) return undefined;
  // `kubectl exec pod -- rm -r …`, `ssh host rm -r …`: what runs over there is what destroys.
  const inner = remoteCommand(tool, args);
  if (inner) return destructiveAction(inner);
  const has = (...flags: string[]) => args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  // A dry run changes nothing: it is how people look before they leap.
  if (args.some((a) => a === '--dry-run' || /^--dry-run=(client|server|true)$/.test(a))) return undefined;
  if (tool === 'kafka-consumer-groups') {
    if (has('--reset-offsets')) return has('--execute') ? 'resets consumer group offsets' : undefined;
    if (has('--delete', '--delete-offsets')) return 'deletes a consumer group or its offsets';
  }
  if (tool === 'kafka-topics' && has('--delete')) return 'deletes a topic';
  if (tool === 'kafka-delete-records') return 'deletes records from a topic';
  if (tool === 'rm' && args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === '--recursive' || /\*/.test(a))) return 'removes files recursively or by pattern';
  if (tool === 'find' && args.some((a) => a === '-delete' || a === 'rm')) return 'deletes the files it finds';
  if (['kill', 'pkill', 'killall'].includes(tool)) return 'kills processes';
  if (['dd', 'mkfs', 'wipefs', 'shred'].includes(tool.split('.')[0]!)) return 'overwrites a disk or file';
  if (tool === 'agentdrill' && args[0] === 'ctl' && args[1] === 'kill') return 'kills agent instances';
  if (tool === 'agentdrill' && args[0] === 'ctl' && args[1] === 'scale' && /^0+$/.test(args[3] ?? '')) return 'scales an agent to zero';
  if (args.some((a) => /^--replicas=0+$/.test(a)) || args.some((a, i) => a === '--replicas' && /^0+$/.test(args[i + 1] ?? ''))) return 'scales to zero';
  if ((tool === 'kubectl' || tool === 'oc') && args.find((a) => !a.startsWith('-')) === 'drain') return 'drains a node (evicts every pod on it)';
  if (['curl', 'wget', 'http', 'https'].includes(tool)) {
    const method = args.flatMap((a, i) => (/^(-X|--request)$/.test(a) ? [args[i + 1] ?? ''] : /^(-X|--request=)(.+)$/.exec(a)?.slice(2, 3) ?? [])).find(Boolean);
    return method && /^(DELETE|PURGE)$/i.test(method) ? `sends an HTTP ${method.toUpperCase()}` : undefined;
  }
  if (tool === 'git') return gitAction(args);
  if (tool === 'etcdctl' && (args[0] === 'del' || (args[0] === 'member' && args[1] === 'remove'))) return args[0] === 'del' ? 'deletes etcd keys' : 'removes an etcd member';
  if (['redis-cli', 'psql', 'mysql', 'gitlab-psql'].includes(tool)) {
    const text = args.join(' ');
    if (/\b(flushall|flushdb)\b/i.test(text) || (tool === 'redis-cli' && /(^|\s)(del|unlink)\s/i.test(text))) return 'deletes Redis keys';
    const sql = statementAction(text);
    if (sql) return sql;
  }
  const verb = args.filter((a) => !a.startsWith('-')).slice(0, 4).find((a) => verbs.includes(a.toLowerCase()));
  if (verb) return `runs "${tool} ${verb}"`;
  return undefined;
}

function remoteCommand(tool: string, args: readonly string[]): readonly string[] | undefined {
  const dashes = args.indexOf('--');
  if ((tool === 'kubectl' || tool === 'oc') && args.includes('exec') && dashes >= 0) return args.slice(dashes + 1);
  if (tool === 'ssh') {
    const host = args.findIndex((a, i) => !a.startsWith('-') && !/^-[bcDEeFIiJLlmOopQRSWw]$/.test(args[i - 1] ?? ''));
    return host >= 0 && host < args.length - 1 ? args.slice(host + 1) : undefined;
  }
  return undefined;
}

/** git's own: its subcommand comes after `-C <dir>` and `-c key=value`; "log --grep delete" only reads. */
function gitAction(all: readonly string[]): string | undefined {
  let i = 0;
  while (i < all.length && all[i]!.startsWith('-')) i += /^-[Cc]$/.test(all[i]!) ? 2 : 1;
  const [sub, ...args] = all.slice(i);
  const has = (...flags: string[]) => args.some((a) => flags.includes(a));
  if (sub === 'update-ref' && has('-d')) return 'deletes a git ref';
  if (sub === 'branch' && has('-D', '--delete', '-d')) return 'deletes a branch';
  if (sub === 'push' && (has('--force', '-f', '--delete') || args.some((a) => a.startsWith(':')))) return 'rewrites or deletes remote history';
  if (sub === 'reset' && has('--hard')) return 'discards local changes';
  if (sub === 'clean' && args.some((a) => /^-[a-z]*f/.test(a))) return 'deletes untracked files';
  return undefined;
}

/** A database or cache statement that destroys data. */
export function statementAction(statement: string): string | undefined {
  // "/* DROP TABLE x */" and "-- DELETE FROM x" are what the author chose not to run.
  const text = statement.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--.*$/gm, ' ');
  const m = sqlDestroys.exec(text);
  if (m) return `runs ${m[1]!.replace(/\s+/g, ' ').toUpperCase()}`;
  if (/^\s*(flushall|flushdb)\b/i.test(text) || /^\s*(del|unlink)\s/i.test(text)) return 'deletes Redis keys';
  return undefined;
}

/**
 * What a person writes before a dangerous step so the reader stops: a condition, a warning, a
 * confirmation, a backup. Any of them next to the command is the guard a human page has.
 */
const confirmation =
  /\b(confirm\w*|make sure|ensure|only (if|when|after|once|as)|before (you|running|doing|proceeding|deleting|removing)|caution|careful\w*|warning|danger\w*|destructive|irreversibl\w*|irrecoverabl\w*|(cannot|can't|can ?not) be (undone|reversed|recovered)|data loss|lose (all |the )?data|back ?ups?|backed up|approv\w*|sign-?off|double[- ]check|verify (that|first)|last resort|permanently (delete|remove|lose|destroy)|are you sure|dry[- ]run|if and only if|if you (decide|decided|are sure|must)|with (the )?(owner|lead)|do not|don't|when to use|emergency only|once (the|it|you|all)|in an emergency)\b/i;

/** "If the broker is gone for good:", "# Only if ...": a condition opening a sentence, comment or item. Not "if needed". */
const condition = /(^|[.!?:;(]\s*|\n\s*)(only\s+)?(if|when|unless)\b(?!\s+(necessary|needed|required|desired|possible|applicable|any)\b)/im;

/** `near` holds the text a condition must be in; a confirmation may be anywhere in `context`. */
export function confirms(context: string, near = context): boolean {
  return confirmation.test(context) || condition.test(near);
}
