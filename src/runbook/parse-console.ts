export interface ConsoleCommand {
  text: string;
  /** Per line of `text`: 0-based line in the block and the 0-based column where the text starts. */
  origins: { line: number; column: number }[];
}

/**
 * The commands of a `console` block: lines after a `$ ` prompt, with the prompt stripped. A
 * command ending in `\` continues on the next line (a `> ` continuation prompt is stripped too).
 * Output lines are dropped. Commands are joined by newlines, as a shell script.
 */
export function consoleCommands(value: string): string[] {
  return consoleCommandLines(value).map((c) => c.text);
}

/** As consoleCommands, keeping where each line came from so findings point into the file. */
export function consoleCommandLines(value: string): ConsoleCommand[] {
  const commands: ConsoleCommand[] = [];
  let current: ConsoleCommand | undefined;
  const finish = () => {
    if (current && current.text.trim()) commands.push(current);
    current = undefined;
  };
  value.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (current) {
      const cont = /^\s*> /.exec(line)?.[0].length ?? 0;
      current.text += '\n' + line.slice(cont);
      current.origins.push({ line: index, column: cont });
    } else {
      const prompt = /^\s*\$(?: |$)/.exec(line);
      if (!prompt) return;
      current = { text: line.slice(prompt[0].length), origins: [{ line: index, column: prompt[0].length }] };
    }
    if (!line.endsWith('\\')) finish();
  });
  finish();
  return commands;
}
