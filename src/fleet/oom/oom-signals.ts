/**
 * Whether the kernel's OOM killer ended a container, judged from several witnesses, because no
 * one of them is reliable alone: on cgroup v1 with Docker 20.10 the engine's `OOMKilled` flag came
 * back false once in five loaded runs for a container the kernel had OOM-killed (its `oom` event
 * and the exit race). Each witness is `true` (saw an OOM kill), `false` (looked, saw none) or
 * absent (could not look: no root for the kernel log, the cgroup gone before it was read).
 */
export interface OomSignals {
  /** `docker inspect` State.OOMKilled, read after the exit (and once more a moment later). */
  engineFlag?: boolean;
  /** An `oom` event for this container on the engine's event stream. */
  engineEvent?: boolean;
  /** The kernel log's "oom-kill: ... task_memcg=<the container's cgroup>, pid=<its pid>" record. */
  kernelLog?: boolean;
  /** The container cgroup's own OOM-kill counter (memory.oom_control / memory.events), last read before the exit. */
  cgroupOomKill?: boolean;
}

export type OomWitness = keyof OomSignals;

export interface OomJudgement {
  /** The exit counts as the kernel's OOM kill. */
  oomKilled: boolean;
  /** Witnesses that saw an OOM kill. */
  saw: OomWitness[];
  /** Witnesses that looked and saw none. */
  sawNone: OomWitness[];
  /** Some witnesses saw it and others looked and did not: the report says so. */
  disagree: boolean;
}

const witnesses: readonly OomWitness[] = ['engineFlag', 'engineEvent', 'kernelLog', 'cgroupOomKill'];

/**
 * The kernel's OOM killer always sends SIGKILL, so only an exit of 137 can be one. Any witness
 * that saw the kill is enough (each can only miss, none invents an OOM kill of this container);
 * the ones that missed it are kept so the journal and the report can show the disagreement.
 */
export function judgeOom(exitCode: number | null, signals: OomSignals): OomJudgement {
  const saw = witnesses.filter((w) => signals[w] === true);
  const sawNone = witnesses.filter((w) => signals[w] === false);
  const sigkill = exitCode === 137;
  // A witness's OOM beside an exit that is not a SIGKILL (a helper process killed, the agent then
  // exiting on its own) is a disagreement too.
  const disagree = saw.length > 0 && (sawNone.length > 0 || !sigkill);
  return { oomKilled: sigkill && saw.length > 0, saw, sawNone, disagree };
}

/** One line for people: which witnesses agreed. */
export function describeOomJudgement(j: OomJudgement): string {
  if (!j.oomKilled) return j.saw.length > 0 ? `not an OOM exit, though ${j.saw.join(', ')} reported one` : 'no OOM kill reported';
  if (!j.disagree) return `OOM kill confirmed by ${j.saw.join(', ')}`;
  return `OOM kill seen by ${j.saw.join(', ')}; not seen by ${j.sawNone.join(', ')} (signals disagree)`;
}
