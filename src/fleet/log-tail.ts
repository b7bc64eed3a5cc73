import { open } from 'node:fs/promises';

/** The last lines of an instance's log, quoted in startup errors so the cause is on screen. */
export async function logTail(file: string, maxLines = 15, maxBytes = 4096): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer.toString('utf8').trimEnd().split('\n').slice(-maxLines).join('\n');
    } finally {
      await handle.close();
    }
  } catch {
    return '(no log)';
  }
}
