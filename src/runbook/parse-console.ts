import { isOutputLine } from './shell-output.ts';

export interface ConsoleCommand {
  text: string;
  /** Per line of `text`: 0-based line in the block and the 0-based column where the text starts. */
  origins: { line: number; column: number }[];
  /** Typed inside another machine or container (after `oc rsh`, `kubectl exec -it`, `ssh host`). */
  remote: boolean;
}

/** A statement typed at a database or cache prompt (`gitlabhq=# DROP ...`, `127.0.0.1:6379> FLUSHALL`). */
export interface PromptStatement {
  text: string;
  line: number;
  column: number;
}

export interface ShellLines {
  commands: ConsoleCommand[];
  statements: PromptStatement[];
  /** The block shows prompts: everything not after one is output. */
  transcript: boolean;
}

const shellPrompts = [
  /^\s*\$(?: |$)/, // $ kubectl get pods
  /^\s*\[[^\]\n]{1,80}\]\s?[$#](?: |$)/, // [root@host ~]#
  /^\s*[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s?[$#](?: |$)/, // user@host:~$  root@pod:/#
  /^\s*(?:ba|z|k)?sh-\d[\d.]*[$#](?: |$)/, // sh-4.4#
  /^\s*\/ [$#](?: |$)/, // busybox: / #
];
/** psql (`db=# `, `db=> `), mysql, redis-cli prompts: what follows is not shell. */
const statementPrompt = /^\s*(?:[\w-]+=[#>]|mysql>|(?:redis )?[\w.-]+:\d+(?:\[\d+\])?>)\s/;
/** `# ` is a root prompt only in a transcript, and only before a tool's name; elsewhere it is a comment. */
const rootPrompt = /^\s*# (?=(?:sudo |chroot |kubectl|oc |etcdctl|crictl|systemctl|journalctl|ls|cat|df|du|ps |rm |mv |cp |find |ip |ss |curl|podman|docker|psql|redis-cli|kafka-|mount|umount|export |cd ))/;
/** Commands that open a shell elsewhere: what is typed after them runs there. */
const opensShell = /^(?:sudo\s+)?(?:(?:oc|kubectl)\s+(?:rsh|debug|exec\s+.*-(?:it|ti|i)\b(?!.*--\s+\S+\s+\S)|exec\s+.*--\s*(?:ba)?sh\s*$)|ssh\s+[^\s-][^\s]*\s*$|chroot\s+\S+\s*$|gcloud\s+compute\s+ssh\b|docker\s+exec\s+-it\b|toolbox\s*$)/;

/**
 * The lines of a shell-like block a person would type. A block that shows prompts is a
 * transcript: the lines after a prompt are commands (the prompt stripped; a command ending in `\`
 * continues, a `> ` continuation prompt stripped too) and the rest is output. A block without
 * prompts is a script, less the lines that are plainly output. `promptsOnly` (```console) keeps
 * nothing from a block without prompts.
 */
export function shellLines(value: string, options: { promptsOnly?: boolean } = {}): ShellLines {
  const lines = value.split('\n').map((l) => l.replace(/\r$/, ''));
  const transcript = lines.some((l) => shellPrompts.some((p) => p.test(l)) || statementPrompt.test(l));
  const out: ShellLines = { commands: [], statements: [], transcript };
  if (!transcript && options.promptsOnly) return out;
  let current: ConsoleCommand | undefined;
  let remote = false;
  let heredoc: string | undefined;
  const finish = () => {
    if (current && current.text.trim()) {
      out.commands.push(current);
      const typed = current.text.trim();
      if (opensShell.test(typed)) remote = true;
      else if (/^(exit|logout)\b/.test(typed)) remote = false;
    }
    current = undefined;
  };
  lines.forEach((line, index) => {
    if (heredoc !== undefined || current) {
      // A here-document's body and a continued line belong to the command above, prompt or not.
      const cont = current && transcript ? (/^\s*> /.exec(line)?.[0].length ?? 0) : 0;
      const target = current ?? out.commands.at(-1);
      if (target) {
        target.text += '\n' + line.slice(cont);
        target.origins.push({ line: index, column: cont });
      }
      if (heredoc !== undefined && line.trim() === heredoc) heredoc = undefined;
    } else if (transcript) {
      const prompt = shellPrompts.map((p) => p.exec(line)).find(Boolean) ?? rootPrompt.exec(line);
      const statement = statementPrompt.exec(line);
      if (statement) out.statements.push({ text: line.slice(statement[0].length), line: index, column: statement[0].length });
      if (!prompt) return;
      current = { text: line.slice(prompt[0].length), origins: [{ line: index, column: prompt[0].length }], remote };
    } else {
      if (isOutputLine(line)) return;
      current = { text: line, origins: [{ line: index, column: 0 }], remote };
    }
    const here = /<<-?\s*(['"]?)([\w.-]+)\1/.exec(line);
    if (here && heredoc === undefined && !current?.text.endsWith('\\')) heredoc = here[2];
    if (current && (line.endsWith('\\') || heredoc !== undefined)) return;
    finish();
  });
  finish();
  return out;
}

/** The commands of a `console` block, prompts stripped, continuations joined (compatibility). */
export function consoleCommands(value: string): string[] {
  return consoleCommandLines(value).map((c) => c.text);
}

export function consoleCommandLines(value: string): ConsoleCommand[] {
  return shellLines(value, { promptsOnly: true }).commands;
}
