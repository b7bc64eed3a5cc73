import fs from 'node:fs';

/** One line of the machine's mount table, as far as agentdrill reads it. */
export interface MountEntry {
  mountPoint: string;
  fsType: string;
  superOptions: string;
}

/**
 * The mount table (/proc/self/mountinfo); empty where it cannot be read. Synchronous: the
 * Kubernetes node's clean-up also runs from the process's exit hook.
 */
export function mountTable(): MountEntry[] {
  let text = '';
  try {
    text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [left = '', right = ''] = line.split(' - ');
      const [fsType = '', , superOptions = ''] = right.split(' ');
      return { mountPoint: unescapeMount(left.split(' ')[4] ?? ''), fsType, superOptions };
    });
}

/** Mount points at or under `dir`. */
export function mountsUnder(dir: string): string[] {
  return mountTable()
    .map((m) => m.mountPoint)
    .filter((mp) => mp === dir || mp.startsWith(`${dir}/`));
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
