/**
 * The runner's `--exec` template (apps/cli/README.md#runtrail-runner, ADR 0007): split into an argument vector
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

/** Text read from the template, and where reading goes on. */
interface Piece {
  text: string;
  next: number;
}

function quoteError(quote: string, start: number): Error {
  return new Error(`--exec template: unterminated ${quote} quote starting at character ${start + 1}`);
}

/** '…': everything up to the next single quote, literally. */
function singleQuoted(template: string, start: number): Piece {
  const end = template.indexOf("'", start + 1);
  if (end < 0) throw quoteError('single', start);
  return { text: template.slice(start + 1, end), next: end + 1 };
}

/** "…": `\"` and `\\` are the only escapes; any other backslash stays. */
function doubleQuoted(template: string, start: number): Piece {
  let text = '';
  let i = start + 1;
  while (i < template.length) {
    const c = template[i];
    if (c === '"') return { text, next: i + 1 };
    if (c === '\\' && (template[i + 1] === '"' || template[i + 1] === '\\')) {
      text += template[i + 1];
      i += 2;
    } else {
      text += c;
      i += 1;
    }
  }
  throw quoteError('double', start);
}

/** A backslash outside quotes: the next character, literally. */
function escaped(template: string, start: number): Piece {
  if (start + 1 >= template.length) throw new Error('--exec template: a backslash at the end escapes nothing');
  return { text: template[start + 1], next: start + 2 };
}

/** One piece of a word starting at `i`, which is not whitespace. */
function readPiece(template: string, i: number): Piece {
  switch (template[i]) {
    case "'":
      return singleQuoted(template, i);
    case '"':
      return doubleQuoted(template, i);
    case '\\':
      return escaped(template, i);
    default:
      return { text: template[i], next: i + 1 };
  }
}

/** Whitespace ends a word; quoted and escaped pieces join the word around them. */
function splitWords(template: string): string[] {
  const words: string[] = [];
  // Undefined between words: a word exists once anything but whitespace was read, so `''` is one empty argument.
  let word: string | undefined;
  let i = 0;
  while (i < template.length) {
    if (isWhitespace(template[i])) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i += 1;
    } else {
      const piece = readPiece(template, i);
      word = (word ?? '') + piece.text;
      i = piece.next;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Splits an `--exec` template into words; throws an Error saying what is wrong with it. */
export function parseExecTemplate(template: string): string[] {
  const words = splitWords(template);
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
