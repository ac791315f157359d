import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/** The environment variables that override the config file (apps/cli/README.md#configuration). */
export const RUN_ENV = { url: 'RUNTRAIL_API_URL', apiKey: 'RUNTRAIL_API_KEY' } as const;

/** Where `runtrail run` keeps its configuration, spool and rejected reports. */
export interface RuntrailPaths {
  dir: string;
  config: string;
  spool: string;
  rejected: string;
}

/**
 * `$HOME/.runtrail/...`. HOME first (so a test, or a CI job, can point it elsewhere),
 * the OS's idea of the home directory when HOME is unset or empty.
 */
export function runtrailPaths(env: NodeJS.ProcessEnv): RuntrailPaths {
  const dir = join(env.HOME ? env.HOME : homedir(), '.runtrail');
  return { dir, config: join(dir, 'config.yml'), spool: join(dir, 'spool.jsonl'), rejected: join(dir, 'rejected.jsonl') };
}

/**
 * What `runtrail run` does about reporting:
 * - `report`: send to `url` with `apiKey`;
 * - `off`: `api.submit_action_runs: false`, report nothing and touch no file;
 * - `unconfigured`: no URL or no key (or a config file that could not be used): report
 *   nothing; `problem` says why, in one line without the key.
 */
export type RunConfig =
  | { mode: 'report'; url: string; apiKey: string; paths: RuntrailPaths; notice?: string }
  | { mode: 'off'; paths: RuntrailPaths }
  | { mode: 'unconfigured'; paths: RuntrailPaths; problem: string };

interface FileSettings {
  url?: string;
  apiKey?: string;
  submit?: boolean;
}

class ConfigFileError extends Error {}

/** The `api` section of config.yml; unknown keys elsewhere are left to other tools. */
function parseConfigFile(text: string): FileSettings {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    // Never the parser's message: it quotes the offending line, which may hold the key.
    const first = doc.errors[0];
    const line = text.slice(0, first.pos[0]).split('\n').length;
    throw new ConfigFileError(`is not valid YAML (${first.code} at line ${line})`);
  }
  let root: unknown;
  try {
    root = doc.toJS();
  } catch {
    throw new ConfigFileError('is not valid YAML');
  }
  if (root === null || root === undefined) return {};
  if (typeof root !== 'object' || Array.isArray(root)) throw new ConfigFileError('is not a mapping at the top level');
  const api: unknown = (root as Record<string, unknown>).api;
  if (api === undefined || api === null) return {};
  if (typeof api !== 'object' || Array.isArray(api)) throw new ConfigFileError('has an api that is not a mapping');
  const { url, api_key: apiKey, submit_action_runs: submit } = api as Record<string, unknown>;
  if (url !== undefined && url !== null && typeof url !== 'string') throw new ConfigFileError('has an api.url that is not a string');
  if (apiKey !== undefined && apiKey !== null && typeof apiKey !== 'string') throw new ConfigFileError('has an api.api_key that is not a string');
  if (submit !== undefined && submit !== null && typeof submit !== 'boolean') {
    throw new ConfigFileError('has an api.submit_action_runs that is not true or false');
  }
  return {
    url: typeof url === 'string' && url.trim() !== '' ? url.trim() : undefined,
    apiKey: typeof apiKey === 'string' && apiKey.trim() !== '' ? apiKey.trim() : undefined,
    submit: typeof submit === 'boolean' ? submit : undefined,
  };
}

/** Reads the file; a missing file is no settings, anything else unusable is a ConfigFileError. */
function readConfigFile(path: string): FileSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return {};
    throw new ConfigFileError(`cannot be read (${typeof code === 'string' ? code : 'error'})`);
  }
  return parseConfigFile(text);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The configuration of `runtrail run` (apps/cli/README.md#configuration): `~/.runtrail/config.yml` (`api.url`, `api.api_key`,
 * `api.submit_action_runs`, default true), with `RUNTRAIL_API_URL` and `RUNTRAIL_API_KEY`
 * over the file (an empty variable counts as unset). Never throws: a broken file is
 * reported in `problem` (or `notice`, when the environment supplies URL and key anyway)
 * and the command runs regardless.
 */
export function loadRunConfig(env: NodeJS.ProcessEnv): RunConfig {
  const paths = runtrailPaths(env);
  let file: FileSettings = {};
  let fileProblem: string | undefined;
  try {
    file = readConfigFile(paths.config);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    fileProblem = `${paths.config} ${error.message}`;
  }
  if (file.submit === false) return { mode: 'off', paths };

  const url = env[RUN_ENV.url] ? env[RUN_ENV.url] : file.url;
  const apiKey = env[RUN_ENV.apiKey] ? env[RUN_ENV.apiKey] : file.apiKey;
  if (!url || !apiKey) {
    const missing = [!url && 'api.url', !apiKey && 'api.api_key'].filter(Boolean).join(' and ');
    const why = fileProblem ?? `no ${missing} in ${paths.config} (or ${RUN_ENV.url}/${RUN_ENV.apiKey})`;
    return { mode: 'unconfigured', paths, problem: why };
  }
  if (!isHttpUrl(url)) return { mode: 'unconfigured', paths, problem: 'the API URL is not an http(s) URL' };
  return { mode: 'report', url: url.replace(/\/+$/, '').replace(/\/v1$/, ''), apiKey, paths, ...(fileProblem ? { notice: `${fileProblem}; reporting with ${RUN_ENV.url} and ${RUN_ENV.apiKey}` } : {}) };
}
