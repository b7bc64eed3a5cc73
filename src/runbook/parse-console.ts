/**
 * The commands of a `console` block: lines after a `$ ` prompt, with the prompt stripped. A
 * command ending in `\` continues on the next line (a `> ` continuation prompt is stripped too).
 * Output lines are dropped. Commands are joined by newlines, as a shell script.
 */
export function consoleCommands(value: string): string[] {
  const commands: string[] = [];
  let current: string[] | undefined;
  for (const raw of value.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (current) {
      current.push(line.replace(/^\s*> /, ''));
    } else {
      const prompt = /^\s*\$(?: |$)/.exec(line);
      if (!prompt) continue;
      current = [line.slice(prompt[0].length)];
    }
    if (!line.endsWith('\\')) {
      const command = current.join('\n');
      if (command.trim()) commands.push(command);
      current = undefined;
    }
  }
  if (current && current.join('').trim()) commands.push(current.join('\n'));
  return commands;
}
