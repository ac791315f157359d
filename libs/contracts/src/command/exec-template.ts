/**
 * The runner's `--exec` template (CONTRACT §5, ADR 0007): split into an argument vector
 * once, then placeholders are replaced inside each word. No shell ever sees the result,
 * so a block, action or workspace name can only ever be (part of) one argument.
 *
 * The splitting follows the familiar shell rules people already write, without any of
 * the shell's expansions: whitespace separates words, '…' groups literally, "…" groups
 * with `\"` and `\\` as the only escapes, and a backslash outside quotes takes the next
 * character literally.
 */

export const EXEC_PLACEHOLDERS = ['block', 'action', 'workspace', 'run_id', 'command_id'] as const;

export type ExecPlaceholder = (typeof EXEC_PLACEHOLDERS)[number];

export type ExecTemplateValues = Record<ExecPlaceholder, string>;

/**
 * What counts as a placeholder: `{name}` with a name that looks like one. A typo such as
 * `{blok}` or `{run-id}` must stop the runner at start, not run `polycrate run {blok}`
 * later (and `${HOME}` is refused too: with no shell it would never expand). Braces around
 * anything else (`{}`, `{ x }`, `{a,b}`, `{1}`, a lone `{`) are text.
 */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_-]*)\}/g;

const KNOWN = new Set<string>(EXEC_PLACEHOLDERS);

const KNOWN_LIST = EXEC_PLACEHOLDERS.map((p) => `{${p}}`).join(', ');

function isWhitespace(ch: string): boolean {
  return /\s/.test(ch);
}

function checkPlaceholders(word: string, index: number): void {
  for (const match of word.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(match[1])) {
      throw new Error(
        `--exec template: unknown placeholder ${match[0]} in word ${index + 1} (${JSON.stringify(word)}); ` +
          `the placeholders are ${KNOWN_LIST}`,
      );
    }
  }
}

/** Splits an `--exec` template into words; throws an Error saying what is wrong with it. */
export function parseExecTemplate(template: string): string[] {
  const words: string[] = [];
  let word = '';
  // A word exists once anything but whitespace was read, so `''` is one empty argument.
  let inWord = false;
  let i = 0;

  const quoteError = (quote: string, start: number): Error =>
    new Error(`--exec template: unterminated ${quote} quote starting at character ${start + 1}`);

  while (i < template.length) {
    const ch = template[i];
    if (isWhitespace(ch)) {
      if (inWord) {
        words.push(word);
        word = '';
        inWord = false;
      }
      i += 1;
    } else if (ch === "'") {
      const end = template.indexOf("'", i + 1);
      if (end < 0) throw quoteError('single', i);
      word += template.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      const start = i;
      i += 1;
      let closed = false;
      while (i < template.length) {
        const c = template[i];
        if (c === '"') {
          closed = true;
          i += 1;
          break;
        }
        if (c === '\\' && (template[i + 1] === '"' || template[i + 1] === '\\')) {
          word += template[i + 1];
          i += 2;
        } else {
          word += c;
          i += 1;
        }
      }
      if (!closed) throw quoteError('double', start);
      inWord = true;
    } else if (ch === '\\') {
      if (i + 1 >= template.length) {
        throw new Error('--exec template: a backslash at the end escapes nothing');
      }
      word += template[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += ch;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(word);

  if (words.length === 0) {
    throw new Error('--exec template is empty: give the command to run, e.g. "polycrate run {block} {action}"');
  }
  if (words[0] === '') {
    throw new Error('--exec template: the command (its first word) is empty');
  }
  words.forEach(checkPlaceholders);
  return words;
}

/**
 * Replaces the placeholders inside each word: one output word per input word, whatever the
 * values contain. Replacement is a single pass, so a value that itself reads `{action}` (or
 * `$&`) stays as it is.
 */
export function expandExecTemplate(words: readonly string[], values: ExecTemplateValues): string[] {
  return words.map((word, index) => {
    checkPlaceholders(word, index);
    return word.replace(PLACEHOLDER, (_match, name: ExecPlaceholder) => {
      const value = values[name];
      if (typeof value !== 'string') {
        throw new Error(`--exec template: no value for {${name}}`);
      }
      return value;
    });
  });
}
