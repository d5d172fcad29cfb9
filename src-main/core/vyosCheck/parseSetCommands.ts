// Splits VyOS `set` command text into words the way a shell would (quotes, `'\''`, backslashes).

export interface SetCommand {
  /** 1-based line in the text. */
  line: number;
  text: string;
  /** The words after `set`. */
  words: string[];
}

export interface SetParseProblem {
  line: number;
  text: string;
  message: string;
}

/** Shell words of one line; a string is an error message (unterminated quote, dangling backslash). */
export function splitShellWords(line: string): string[] | string {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return 'unterminated single quote';
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        text += line[j];
      }
      if (j >= line.length) return 'unterminated double quote';
      word = (word ?? '') + text;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return 'dangling backslash';
      word = (word ?? '') + line[i + 1];
      i += 2;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Every `set` line of the text; blank lines and `#` comments are skipped, anything else is a problem. */
export function parseSetCommands(text: string): { commands: SetCommand[]; problems: SetParseProblem[] } {
  const commands: SetCommand[] = [];
  const problems: SetParseProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const words = splitShellWords(trimmed);
    if (typeof words === 'string') problems.push({ line, text: raw, message: words });
    else if (words[0] !== 'set') problems.push({ line, text: raw, message: 'not a set command' });
    else if (words.length === 1) problems.push({ line, text: raw, message: 'set without a path' });
    else commands.push({ line, text: raw, words: words.slice(1) });
  });
  return { commands, problems };
}
