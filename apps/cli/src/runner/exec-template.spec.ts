import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandExecTemplate, parseExecTemplate, type ExecTemplateValues } from './exec-template';

const values: ExecTemplateValues = {
  block: 'nginx',
  action: 'deploy',
  workspace: 'acme-prod',
  run_id: '0b6f1c1e-8a47-4c36-9d0e-2f1f4b1c6a10',
  command_id: '7d1f0a52-1c0b-4e0e-b0a5-9b1d2c3e4f50',
};

describe('parseExecTemplate', () => {
  it('splits the contract example into words', () => {
    expect(parseExecTemplate('polycrate run {block} {action}')).toEqual(['polycrate', 'run', '{block}', '{action}']);
  });

  it.each([
    ['  polycrate \t run\n{block}  ', ['polycrate', 'run', '{block}']],
    ["echo 'a b  c' d", ['echo', 'a b  c', 'd']],
    [`echo 'a "b" \\c'`, ['echo', 'a "b" \\c']],
    ['echo "a b" "say \\"hi\\"" "back\\\\slash" "\\n stays"', ['echo', 'a b', 'say "hi"', 'back\\slash', '\\n stays']],
    ['echo a\\ b \\"c\\\' \\\\', ['echo', 'a b', '"c\'', '\\']],
    [`echo pre'x y'"z w"post`, ['echo', 'prex yz wpost']],
    [`echo '' ""`, ['echo', '', '']],
    ["sh -c 'echo {block}; ls'", ['sh', '-c', 'echo {block}; ls']],
    ['deploy --target={workspace}/{block} --id={run_id}:{command_id}', ['deploy', '--target={workspace}/{block}', '--id={run_id}:{command_id}']],
    ["jq '{}' '{ x }' {a,b} {1} { } '{' '}'", ['jq', '{}', '{ x }', '{a,b}', '{1}', '{', '}', '{', '}']],
    ['echo $(id) `id` ; | & > <', ['echo', '$(id)', '`id`', ';', '|', '&', '>', '<']],
  ])('parses %j', (template, expected) => {
    expect(parseExecTemplate(template)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['   \t\n ', /empty/],
    ["echo 'oops", /unterminated single quote starting at character 6/],
    ['echo "oops', /unterminated double quote/],
    ['echo "ends in escaped quote\\"', /unterminated double quote/],
    ['echo oops\\', /backslash at the end/],
    ["'' run", /first word\) is empty/],
  ])('refuses %j', (template, message) => {
    expect(() => parseExecTemplate(template)).toThrow(message);
  });

  it.each(['polycrate run {blok} {action}', 'run {run-id}', 'run {Block}', "run '--x={nope}'", 'echo ${HOME}'])(
    'refuses the unknown placeholder in %j and names the known ones',
    (template) => {
      expect(() => parseExecTemplate(template)).toThrow(/unknown placeholder \{\w[\w-]*\} in word \d.*\{block\}, \{action\}, \{workspace\}, \{run_id\}, \{command_id\}/);
    },
  );

  it('accepts every known placeholder', () => {
    expect(parseExecTemplate('x {block} {action} {workspace} {run_id} {command_id}')).toHaveLength(6);
  });
});

describe('expandExecTemplate', () => {
  it('turns the contract example into polycrate run nginx deploy', () => {
    expect(expandExecTemplate(parseExecTemplate('polycrate run {block} {action}'), values)).toEqual([
      'polycrate',
      'run',
      'nginx',
      'deploy',
    ]);
  });

  it('replaces several placeholders inside one word, and the same one twice', () => {
    const words = parseExecTemplate('deploy --target={workspace}/{block} {block}-{block} --tag=run:{run_id},cmd:{command_id}');
    expect(expandExecTemplate(words, values)).toEqual([
      'deploy',
      '--target=acme-prod/nginx',
      'nginx-nginx',
      `--tag=run:${values.run_id},cmd:${values.command_id}`,
    ]);
  });

  it('leaves braces that are not placeholders alone', () => {
    expect(expandExecTemplate(parseExecTemplate("jq '{}' '{ block }'"), values)).toEqual(['jq', '{}', '{ block }']);
  });

  it('does not modify its input', () => {
    const words = ['run', '{block}'];
    expandExecTemplate(words, values);
    expect(words).toEqual(['run', '{block}']);
  });

  const hostile = [
    'x; rm -rf /',
    'x && touch /tmp/pwned',
    '$(touch /tmp/pwned)',
    '`touch /tmp/pwned`',
    '"quoted" \'single\'',
    'two words',
    'line\nbreak',
    '--help',
    '',
    '$HOME ${HOME} * ?',
    '{action}', // a value is never expanded again
    "$& $' $` $$ $1", // String.replace patterns stay text
  ];

  it.each(hostile)('keeps the value %j as one literal argument', (block) => {
    const words = parseExecTemplate('polycrate run {block} {action} --ws={workspace}');
    const argv = expandExecTemplate(words, { ...values, block, workspace: block });
    expect(argv).toEqual(['polycrate', 'run', block, 'deploy', `--ws=${block}`]);
  });

  it('refuses words with an unknown placeholder that did not come through the parser', () => {
    expect(() => expandExecTemplate(['run', '{blok}'], values)).toThrow(/unknown placeholder \{blok\}/);
  });

  it('refuses a missing value rather than spawning "undefined"', () => {
    const partial = { ...values } as Partial<ExecTemplateValues>;
    delete partial.command_id;
    expect(() => expandExecTemplate(['run', '{command_id}'], partial as ExecTemplateValues)).toThrow(/no value for \{command_id\}/);
  });
});

describe('an expanded vector spawned without a shell', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'exec-template-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes an injection attempt to the program as one argument and runs nothing else', () => {
    const block = 'x; touch /tmp/pwned-$RANDOM';
    const marker = join(dir, 'pwned');
    const action = `$(touch ${marker}) \`touch ${marker}\` && touch ${marker}`;
    const before = readdirSync('/tmp').filter((f) => f.startsWith('pwned-'));

    const words = parseExecTemplate(`node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' {block} {action} --ws={workspace}`);
    const [, ...args] = expandExecTemplate(words, { ...values, block, action });
    const printed = execFileSync(process.execPath, args, { shell: false, encoding: 'utf8' });

    expect(JSON.parse(printed)).toEqual([block, action, '--ws=acme-prod']);
    expect(readdirSync('/tmp').filter((f) => f.startsWith('pwned-'))).toEqual(before);
    expect(existsSync(marker)).toBe(false);
  });
});
