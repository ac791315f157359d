import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request, startTestStack, type TestStack } from '@runtrail/testing';
import { parseApiDoc, type DocRoute, type Service } from './api-reference/parse-api-doc';

/**
 * docs/api.md is the API reference code comments cite, so it must not drift from the
 * code: every route and every query and path parameter must be on both sides, the doc
 * and the OpenAPI documents the running services generate from their decorators.
 */

const API_DOC = join(__dirname, '..', '..', 'docs', 'api.md');
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  responses?: Record<string, unknown>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** An OpenAPI operation in the shape of a documented route. */
type Operation = Omit<DocRoute, 'line'>;

function operationsOf(service: Service, doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, op]) => {
        const params = (where: string) => (op.parameters ?? []).filter((p) => p.in === where).map((p) => p.name);
        return {
          service,
          method: method.toUpperCase(),
          path,
          queryParams: params('query'),
          pathParams: params('path'),
          statuses: Object.keys(op.responses ?? {}),
        };
      }),
  );
}

const nameOf = (r: Operation) => `${r.service} ${r.method} ${r.path}`;
const without = (a: string[], b: string[]) => a.filter((x) => !b.includes(x)).sort();

/** One readable line per name found on one side only. */
function differences(what: string, pairs: [DocRoute, Operation][], pick: (r: Operation) => string[]): string[] {
  return pairs.flatMap(([doc, op]) => [
    ...without(pick(doc), pick(op)).map((n) => `${nameOf(doc)}: ${what} ${n} is documented but not in OpenAPI`),
    ...without(pick(op), pick(doc)).map((n) => `${nameOf(doc)}: ${what} ${n} is in OpenAPI but not documented`),
  ]);
}

describe('docs/api.md parser', () => {
  const VALID_LINES = [
    '- Service: query service',
    '- Auth: scope `audit:read`',
    '',
    '| query parameter | meaning |',
    '| --- | --- |',
    '| `limit` | page size, `a\\|b` |',
    '',
    '| path parameter | meaning |',
    '| --- | --- |',
    '| `id` | the id |',
    '',
    '```',
    '### GET /in/a/fence',
    '```',
    '',
    '| status | when |',
    '| --- | --- |',
    '| `200` | found |',
    '| `404` | not found |',
  ];

  /** A valid one-route file; each case below breaks one rule. */
  function sample(parts: { section?: string; anchor?: string; heading?: string; lines?: string[] } = {}): string {
    return [
      parts.section ?? '## Query service',
      '',
      parts.anchor ?? '<a id="get-v1-things-id"></a>',
      parts.heading ?? '### GET /v1/things/{id}',
      '',
      ...(parts.lines ?? VALID_LINES),
    ].join('\n');
  }
  const editedLines = (from: string, ...to: string[]) => VALID_LINES.flatMap((l) => (l === from ? to : [l]));

  it('reads a route, its parameters and statuses', () => {
    expect(parseApiDoc(sample())).toEqual([
      { service: 'query', method: 'GET', path: '/v1/things/{id}', line: 4, queryParams: ['limit'], pathParams: ['id'], statuses: ['200', '404'] },
    ]);
  });

  it.each<[string, string, RegExp]>([
    ['a lower-case method', sample({ heading: '### get /v1/things/{id}' }), /must be exactly "### METHOD \/path"/],
    ['text after the path', sample({ heading: '### GET /v1/things/{id} (alias)' }), /must be exactly "### METHOD \/path"/],
    ['a route outside the service sections', sample({ section: '## Conventions' }), /outside "## Ingest gateway" and "## Query service"/],
    ['a wrong anchor', sample({ anchor: '<a id="get-v1-things"></a>' }), /must be <a id="get-v1-things-id"><\/a>/],
    ['a service line of another section', sample({ section: '## Ingest gateway' }), /needs the line "- Service: ingest gateway"/],
    ['no auth line', sample({ lines: editedLines('- Auth: scope `audit:read`') }), /needs a line starting with "- Auth: "/],
    ['neither query table nor sentence', sample({ lines: VALID_LINES.filter((l) => !/query parameter|`limit`/.test(l)) }), /needs a query parameter table or the sentence/],
    ['both query table and sentence', sample({ lines: [...VALID_LINES, '', 'No query parameters.'] }), /has a query parameter table and says/],
    ['a path parameter the path lacks', sample({ lines: editedLines('| `id` | the id |', '| `key` | the key |') }), /lists \[key\], the path has \[id\]/],
    ['a name without backticks', sample({ lines: editedLines('| `limit` | page size, `a\\|b` |', '| limit | page size |') }), /must be one name in backticks, found "limit"/],
    ['a missing status table', sample({ lines: VALID_LINES.filter((l) => !/status|`200`|`404`/.test(l)) }), /needs a status table/],
    ['a route documented twice', `${sample()}\n${sample({ section: '' })}`, /GET \/v1\/things\/\{id\} is documented twice/],
  ])('refuses %s', (_name, markdown, problem) => {
    expect(() => parseApiDoc(markdown)).toThrow(problem);
  });
});

describe('docs/api.md against the OpenAPI documents of ingest and query', () => {
  let t: TestStack;
  let documented: DocRoute[];
  let operations: Operation[];

  beforeAll(async () => {
    // Read first: a file that breaks its format rules fails here, before any service starts.
    documented = parseApiDoc(readFileSync(API_DOC, 'utf8'));
    t = await startTestStack('e2eapiref');
    const openApi = async (base: string) => {
      const res = await request<OpenApiDocument>('GET', `${base}/openapi.json`);
      if (res.status !== 200) throw new Error(`${base}/openapi.json answered ${res.status}`);
      return res.body;
    };
    operations = [...operationsOf('ingest', await openApi(t.ingestUrl)), ...operationsOf('query', await openApi(t.queryUrl))];
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  /** Routes present on both sides; the first test reports the others. */
  const pairs = (): [DocRoute, Operation][] =>
    documented.flatMap((r): [DocRoute, Operation][] => {
      const op = operations.find((o) => nameOf(o) === nameOf(r));
      return op ? [[r, op]] : [];
    });

  it('documents every operation of both services, and no route that OpenAPI lacks', () => {
    const inDoc = documented.map(nameOf);
    const inOpenApi = operations.map(nameOf);
    expect({ undocumented: without(inOpenApi, inDoc), notInOpenApi: without(inDoc, inOpenApi) }).toEqual({ undocumented: [], notInOpenApi: [] });
  });

  it('documents exactly the query parameters of each operation', () => {
    expect(differences('query parameter', pairs(), (r) => r.queryParams)).toEqual([]);
  });

  it('documents exactly the path parameters of each operation', () => {
    expect(differences('path parameter', pairs(), (r) => r.pathParams)).toEqual([]);
  });

  it('documents every status that OpenAPI declares for an operation', () => {
    const missing = pairs().flatMap(([doc, op]) => without(op.statuses, doc.statuses).map((s) => `${nameOf(doc)}: status ${s} is in OpenAPI but not documented`));
    expect(missing).toEqual([]);
  });
});
