/**
 * Just enough of POSIX shell to lint a runbook step: simple commands and their words (quotes
 * removed), variable references, and names the script itself assigns. Not an interpreter:
 * unknown syntax degrades to odd words, never to an exception.
 */
export interface ShellWord {
  text: string;
  /** 0-based line and column in the script. */
  line: number;
  column: number;
}

export interface SimpleCommand {
  words: ShellWord[];
  /** Targets of <, >, >> (files the command reads or writes). */
  redirects: ShellWord[];
  /** Reads a pipe (`a | b`: b), so it is part of one command line. */
  piped: boolean;
  /** Inside $(...) or backticks. */
  nested: boolean;
}

export interface VariableRef extends ShellWord {
  /** `${X:-default}` and friends: unset is fine. */
  hasDefault: boolean;
}

export interface ShellScan {
  commands: SimpleCommand[];
  variables: VariableRef[];
  assigned: Set<string>;
  functions: Set<string>;
}

const specialParams = /[0-9?#@*$!-]/;

export function scanShell(script: string): ShellScan {
  const scan: ShellScan = { commands: [], variables: [], assigned: new Set(), functions: new Set() };
  for (const m of script.matchAll(/(?:^|[\n;{])\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\s*\)/g)) scan.functions.add(m[1]!);
  for (const m of script.matchAll(/\bfunction\s+([A-Za-z_][\w-]*)/g)) scan.functions.add(m[1]!);
  const s = script;
  let i = 0;
  let line = 0;
  let column = 0;
  let words: ShellWord[] = [];
  let redirects: ShellWord[] = [];
  let word: ShellWord | undefined;
  let redirectNext = false;
  let heredocs: string[] = [];
  let piped = false;
  let depth = 0;
  let backtick = false;

  const advance = (n = 1) => {
    for (let k = 0; k < n && i < s.length; k++, i++) {
      if (s[i] === '\n') {
        line++;
        column = 0;
      } else column++;
    }
  };
  const append = (text: string) => {
    word ??= { text: '', line, column };
    word.text += text;
  };
  const endWord = () => {
    if (word) (redirectNext ? redirects : words).push(word);
    if (word) redirectNext = false;
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    redirectNext = false;
    if (words.length || redirects.length) scan.commands.push({ words, redirects, piped, nested: depth > 0 || backtick });
    words = [];
    redirects = [];
    piped = false;
  };
  const variable = () => {
    const at = { line, column };
    if (s[i + 1] === '{') {
      const close = s.indexOf('}', i + 2);
      const inner = s.slice(i + 2, close < 0 ? s.length : close);
      const m = /^[#!]?([A-Za-z_]\w*)(.*)$/s.exec(inner);
      if (m) scan.variables.push({ text: m[1]!, ...at, hasDefault: /^:?[-=+?]/.test(m[2]!) && !/^:?\?/.test(m[2]!) });
      append('${' + inner + '}');
      advance(inner.length + 3);
    } else if (/[A-Za-z_]/.test(s[i + 1] ?? '')) {
      const name = /^[A-Za-z_]\w*/.exec(s.slice(i + 1))![0];
      scan.variables.push({ text: name, ...at, hasDefault: false });
      append('$' + name);
      advance(name.length + 1);
    } else {
      append('$' + (specialParams.test(s[i + 1] ?? '') ? s[i + 1] : ''));
      advance(specialParams.test(s[i + 1] ?? '') ? 2 : 1);
    }
  };

  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '\\') {
      if (s[i + 1] !== '\n') append(s[i + 1] ?? '');
      advance(2);
    } else if (ch === "'") {
      const close = s.indexOf("'", i + 1);
      const end = close < 0 ? s.length : close;
      append(s.slice(i + 1, end));
      advance(end - i + 1);
    } else if (ch === '"') {
      append('');
      advance();
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) {
          append(s[i + 1]!);
          advance(2);
        } else if (s[i] === '$') variable();
        else {
          append(s[i]!);
          advance();
        }
      }
      advance();
    } else if (ch === '$' && s[i + 1] !== '(') {
      variable();
    } else if (ch === '#' && !word) {
      while (i < s.length && s[i] !== '\n') advance();
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      advance();
    } else if (ch === '\n') {
      endCommand();
      advance();
      for (const delimiter of heredocs) {
        while (i < s.length) {
          const end = s.indexOf('\n', i);
          const text = s.slice(i, end < 0 ? s.length : end);
          advance(text.length + 1);
          if (text.trim() === delimiter) break;
        }
      }
      heredocs = [];
    } else if (ch === '<' && s[i + 1] === '<' && s[i + 2] !== '<') {
      endWord();
      const m = /^<<-?\s*(['"]?)([\w.-]+)\1/.exec(s.slice(i));
      if (m) heredocs.push(m[2]!);
      advance(m ? m[0].length : 2);
    } else if (ch === '>' || ch === '<') {
      if (word && /^\d+$/.test(word.text)) word = undefined;
      else endWord();
      const op = /^(<<<|>>|>&|<&|>\||&>|<>|>|<)/.exec(s.slice(i))![0];
      advance(op.length);
      if (op.endsWith('&') && /[\d-]/.test(s[i] ?? '')) advance();
      else redirectNext = op !== '<<<';
    } else if (ch === '&' && s[i + 1] === '>') {
      endWord();
      advance(2);
      redirectNext = true;
    } else if (ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')' || ch === '`') {
      endCommand();
      if (ch === '|' && s[i + 1] !== '|' && s[i - 1] !== '|') piped = true;
      if (ch === ')' && depth > 0) depth--;
      if (ch === '`') backtick = !backtick;
      advance();
    } else if (ch === '$') {
      // $( ... ): the inner command is a command like any other, counted as nested.
      endCommand();
      depth++;
      advance(2);
    } else {
      append(ch);
      advance();
    }
  }
  endCommand();
  scan.commands = scan.commands.map((c) => normalize(c, scan)).filter((c) => c.words.length > 0 || c.redirects.length > 0);
  return scan;
}

const leadingKeywords = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', 'time', '{', '}', 'esac', 'in', '[[', ']]']);
const declarers = new Set(['export', 'local', 'declare', 'readonly', 'typeset', 'read']);

/** Drops keywords and assignments in front of the command, recording what gets assigned. */
function normalize(command: SimpleCommand, scan: ShellScan): SimpleCommand {
  let words = command.words;
  while (words[0] && (leadingKeywords.has(words[0].text) || /^[A-Za-z_]\w*(\[[^\]]*\])?\+?=/.test(words[0].text))) {
    const assignment = /^([A-Za-z_]\w*)(\[[^\]]*\])?\+?=/.exec(words[0].text);
    if (assignment) scan.assigned.add(assignment[1]!);
    words = words.slice(1);
  }
  const first = words[0]?.text;
  if (first === 'for' || first === 'select' || first === 'case') {
    if (first !== 'case' && words[1]) scan.assigned.add(words[1].text);
    return { ...command, words: [], redirects: [] };
  }
  if (first && declarers.has(first)) {
    for (const w of words.slice(1)) {
      const name = /^([A-Za-z_]\w*)(=|$)/.exec(w.text);
      if (name) scan.assigned.add(name[1]!);
    }
  }
  if (first === 'function') return { ...command, words: [], redirects: [] };
  return { ...command, words };
}

const wrappers: Record<string, RegExp> = {
  sudo: /^-/,
  nohup: /^$/,
  exec: /^-/,
  command: /^-/,
  nice: /^-/,
  env: /^(-|[A-Za-z_]\w*=)/,
  timeout: /^(-|\d+(\.\d+)?[smhd]?$)/,
  xargs: /^-/,
  watch: /^(-|\d+(\.\d+)?$)/,
};

/** The command a simple command really runs: `sudo -u x kill 1` runs `kill`. */
export function effectiveWords(words: readonly ShellWord[]): ShellWord[] {
  let rest = [...words];
  for (let guard = 0; rest[0] && wrappers[rest[0].text] && guard < 8; guard++) {
    const skip = wrappers[rest[0].text]!;
    rest = rest.slice(1);
    while (rest[0] && skip.test(rest[0].text) && rest[0].text !== '') rest = rest.slice(1);
  }
  return rest;
}
