/**
 * A strict reader of docs/api.md, following the format rules written at the top of that
 * file. It refuses what it does not understand instead of skipping it: a route that the
 * reader silently missed would pass the comparison with OpenAPI while being undocumented.
 */

export type Service = 'ingest' | 'query';

export interface DocRoute {
  service: Service;
  method: string;
  path: string;
  /** 1-based line of the route heading. */
  line: number;
  queryParams: string[];
  pathParams: string[];
  statuses: string[];
}

const SERVICE_SECTIONS: Record<string, Service> = { '## Ingest gateway': 'ingest', '## Query service': 'query' };
const SERVICE_LINES: Record<Service, string> = { ingest: '- Service: ingest gateway', query: '- Service: query service' };
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ROUTE_HEADING = /^### ([A-Z]+) (\/\S*)$/;
/** Looks like a route: a method as its first word, or a path as its second. */
const ROUTE_LIKE = /^###\s+(?:(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b|\S+\s+\/)/i;
const NO_QUERY_PARAMETERS = 'No query parameters.';

/** The kinds of table the reader checks, by the first cell of their header. */
const TABLE_KINDS = { 'query parameter': 'query', 'path parameter': 'path', status: 'status' } as const;
type TableKind = (typeof TABLE_KINDS)[keyof typeof TABLE_KINDS];

/** The anchor docs/api.md writes above a route: `GET /v1/action-runs/{id}` -> `get-v1-action-runs-id`. */
export function routeAnchor(method: string, path: string): string {
  return [method.toLowerCase(), ...path.split('/').filter(Boolean).map((s) => s.replace(/[{}]/g, ''))].join('-');
}

function cells(line: string): string[] {
  // A `\|` is a pipe inside a cell (GFM), not a column border.
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

interface Line {
  text: string;
  number: number;
}

/** A route's lines, from its heading to the next level-2 or level-3 heading. */
interface RouteBlock {
  service: Service;
  method: string;
  path: string;
  heading: Line;
  body: Line[];
}

/**
 * Reads every route of the file. Throws one error that lists every problem, each with its
 * line number, so one run shows everything to fix.
 */
export function parseApiDoc(markdown: string): DocRoute[] {
  const problems: string[] = [];
  const blocks = routeBlocks(markdown.split('\n'), problems);
  const routes = blocks.map((b) => readRoute(b, problems));
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) problems.push(`line ${r.line}: ${key} is documented twice`);
    seen.add(key);
  }
  if (problems.length) throw new Error(`docs/api.md does not follow its format rules:\n${problems.join('\n')}`);
  return routes;
}

function routeBlocks(rawLines: string[], problems: string[]): RouteBlock[] {
  const blocks: RouteBlock[] = [];
  let service: Service | undefined;
  let current: RouteBlock | undefined;
  let inFence = false;
  let lastNonBlank: Line | undefined;
  rawLines.forEach((text, i) => {
    const line = { text, number: i + 1 };
    if (text.startsWith('```')) inFence = !inFence;
    const isHeading = !inFence && /^#{2,3} /.test(text);
    if (isHeading) {
      current = undefined;
      if (text.startsWith('## ')) service = SERVICE_SECTIONS[text.trimEnd()];
      else if (ROUTE_LIKE.test(text)) current = startRoute(line, service, lastNonBlank, problems);
      if (current) blocks.push(current);
    } else if (current) {
      // Fenced lines stay out of the block: a table in an example is not the route's table.
      if (!inFence && !text.startsWith('```')) current.body.push(line);
    }
    if (text.trim()) lastNonBlank = line;
  });
  return blocks;
}

function startRoute(heading: Line, service: Service | undefined, above: Line | undefined, problems: string[]): RouteBlock | undefined {
  const m = ROUTE_HEADING.exec(heading.text);
  if (!m || !METHODS.includes(m[1])) {
    problems.push(`line ${heading.number}: a route heading must be exactly "### METHOD /path", found "${heading.text}"`);
    return undefined;
  }
  if (!service) {
    problems.push(`line ${heading.number}: route "${heading.text}" is outside "## Ingest gateway" and "## Query service"`);
    return undefined;
  }
  const anchor = `<a id="${routeAnchor(m[1], m[2])}"></a>`;
  if (above?.text.trim() !== anchor) problems.push(`line ${heading.number}: the line above "${heading.text}" must be ${anchor}`);
  return { service, method: m[1], path: m[2], heading, body: [] };
}

function readRoute(block: RouteBlock, problems: string[]): DocRoute {
  const { method, path } = block;
  const where = `line ${block.heading.number} (${method} ${path})`;
  const tables = readTables(block.body, where, problems);
  const texts = block.body.map((l) => l.text.trim());

  if (!texts.includes(SERVICE_LINES[block.service])) problems.push(`${where}: needs the line "${SERVICE_LINES[block.service]}"`);
  if (!texts.some((t) => t.startsWith('- Auth: '))) problems.push(`${where}: needs a line starting with "- Auth: "`);

  const saysNoQuery = texts.some((t) => t.includes(NO_QUERY_PARAMETERS));
  if (tables.query && saysNoQuery) problems.push(`${where}: has a query parameter table and says "${NO_QUERY_PARAMETERS}"`);
  if (!tables.query && !saysNoQuery) problems.push(`${where}: needs a query parameter table or the sentence "${NO_QUERY_PARAMETERS}"`);

  const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const pathTable = tables.path ?? [];
  if ([...inPath].sort().join() !== [...pathTable].sort().join()) {
    problems.push(`${where}: the path parameter table lists [${pathTable.join(', ')}], the path has [${inPath.join(', ')}]`);
  }
  if (!tables.status) problems.push(`${where}: needs a status table`);

  return {
    service: block.service,
    method,
    path,
    line: block.heading.number,
    queryParams: tables.query ?? [],
    pathParams: pathTable,
    statuses: tables.status ?? [],
  };
}

/** The first-column values of the checked tables of a route; each kind may appear once. */
function readTables(body: Line[], where: string, problems: string[]): Partial<Record<TableKind, string[]>> {
  const found: Partial<Record<TableKind, string[]>> = {};
  for (let i = 0; i < body.length; i++) {
    const isTableStart = body[i].text.startsWith('|') && !body[i - 1]?.text.startsWith('|');
    if (!isTableStart) continue;
    const kind: TableKind | undefined = TABLE_KINDS[cells(body[i].text)[0] as keyof typeof TABLE_KINDS];
    if (!kind) continue;
    if (found[kind]) problems.push(`line ${body[i].number}: ${where} has a second ${kind} table`);
    if (!/^\|(\s*:?-{3,}:?\s*\|)+$/.test(body[i + 1]?.text.trim() ?? '')) {
      problems.push(`line ${body[i].number}: a table header must be followed by a separator row`);
    }
    const values: string[] = [];
    for (let j = i + 2; j < body.length && body[j].text.startsWith('|'); j++) {
      const first = cells(body[j].text)[0];
      const m = (kind === 'status' ? /^`(\d{3})`$/ : /^`([^`\s]+)`$/).exec(first);
      if (!m) problems.push(`line ${body[j].number}: the first cell of a ${kind} row must be ${kind === 'status' ? 'a status code' : 'one name'} in backticks, found "${first}"`);
      else if (values.includes(m[1])) problems.push(`line ${body[j].number}: ${m[1]} is listed twice`);
      else values.push(m[1]);
    }
    found[kind] = values;
  }
  return found;
}
