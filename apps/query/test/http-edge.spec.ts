import { request } from 'node:http';
import { Body, Controller, Get, Module, Param, Post, Query, type INestApplication } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { PlatformModule, createHttpApp } from '@runtrail/platform';
import { IsOptional, IsString } from 'class-validator';
import { csvText, type ExportFormat } from '@runtrail/persistence';
import { Download } from '../src/shared/downloads/download';
import { exportFile, type ExportSource } from '../src/shared/downloads/export-file';
import { Page } from '../src/shared/paging/page';
import { PagingParamsDto, toPaging } from '../src/shared/paging/paging-params.dto';
import { ListRoute } from '../src/shared/routes/route-kinds';
import { OptionalBody } from '../src/shared/validation/optional-body.decorator';
import { TakesNoQuery } from '../src/shared/validation/takes-no-query.decorator';
import { UuidIdParams } from '../src/shared/validation/uuid-id-params';
import { ValidationModule } from '../src/shared/validation/validation.module';

/**
 * The HTTP edge every route shares, on a small app without NATS or Postgres: the global
 * validation pipe and its decorators, and the answers of list routes (pages and files).
 */

class Thing {
  @ApiProperty() name!: string;
  @ApiProperty() note!: string | null;
}

class ThingQuery extends PagingParamsDto {
  @IsOptional()
  @IsString()
  name?: string;
}

class NoteBody {
  @IsOptional()
  @IsString()
  note?: string;
}

class NameBody {
  @IsString()
  name!: string;
}

const THINGS: Thing[] = [
  { name: 'a', note: 'line\nbreak' },
  { name: 'b', note: null },
];

/** The things as lines of a file, as a repository formats its records; `failAfter` fails the read of that chunk. */
function things(failAfter?: number): ExportSource<object> {
  const line = (t: Thing, format: ExportFormat) => (format === 'json' ? JSON.stringify(t) : `${csvText(t.name)},${csvText(t.note ?? '')}\r\n`);
  return {
    framing: (format) => (format === 'json' ? { head: '[', first: '\n', between: ',\n', tail: '\n]\n' } : { head: 'name,note\r\n', first: '', between: '', tail: '' }),
    async exportChunk(_tenant, _filter, format, _limit, after) {
      const from = after === undefined ? 0 : Number(after.i) + 1;
      if (from === failAfter) throw new Error('connection terminated unexpectedly');
      const lines = THINGS.slice(from, from + 1).map((t) => line(t, format));
      return { text: lines.join(format === 'json' ? ',\n' : ''), records: lines.length, last: { t: '', i: String(from) } };
    },
    // Chunks of one thing: each ends at its thing.
    async exportChunkEnds(_tenant, _filter, _every, count, after) {
      const from = after === undefined ? 0 : Number(after.i) + 1;
      return THINGS.slice(from, from + count).map((_, k) => ({ t: '', i: String(from + k) }));
    },
  };
}

/** Reads of the endless download so far; it stops at READ_CAP chunks so that a download that ignored back-pressure ends. */
const endless = { reads: 0 };
const READ_CAP = 2000;
const ENDLESS_LINE = `"${'x'.repeat(1000)}"`;

function endlessThings(): ExportSource<object> {
  return {
    framing: () => ({ head: '[', first: '\n', between: ',\n', tail: '\n]\n' }),
    async exportChunk(_tenant, _filter, _format, limit) {
      endless.reads += 1;
      const lines = endless.reads > READ_CAP ? [] : Array.from({ length: limit }, () => ENDLESS_LINE);
      return { text: lines.join(',\n'), records: lines.length, last: { t: '', i: String(endless.reads) } };
    },
    // No ends known ahead: the chunks are read one after the other.
    exportChunkEnds: async () => [],
  };
}

@Controller('t')
class EdgeController {
  @Get('endless')
  @ListRoute(Thing, { download: true })
  endless(@Query() query: ThingQuery): Page<Thing> | Download {
    const { download } = toPaging(query);
    return new Download(exportFile(endlessThings(), null, {}, download ?? 'json', { chunkSize: 100 }), 'json', 'endless');
  }

  @Get('things')
  @ListRoute(Thing, { download: true })
  list(@Query() query: ThingQuery): Page<Thing> | Download {
    const { paging, download } = toPaging(query);
    if (download) return new Download(exportFile(things(query.name === 'fail' ? 1 : undefined), null, {}, download, { chunkSize: 1 }), download, 'things');
    return new Page(THINGS.slice(0, paging.limit), paging.limit, paging.limit < THINGS.length ? 'next.cursor' : undefined);
  }

  @Get('things/:id')
  @TakesNoQuery()
  one(@Param() { id }: UuidIdParams): { id: string } {
    return { id };
  }

  @Post('things/:id/note')
  note(@OptionalBody() body: NoteBody, @Param() { id }: UuidIdParams): { id: string; body: NoteBody } {
    return { id, body };
  }

  @Post('names')
  name(@Body() body: NameBody): NameBody {
    return body;
  }
}

@Module({
  imports: [PlatformModule.forRoot({ service: 'edge-test', logLevel: 'silent', readinessChecks: [] }), ValidationModule],
  controllers: [EdgeController],
})
class EdgeModule {}

describe('the HTTP edge: global validation, pages and downloads', () => {
  let app: INestApplication;
  let base: string;
  const ID = '6F9619FF-8B86-D011-B42D-00C04FC964FF';

  beforeAll(async () => {
    app = await createHttpApp(EdgeModule);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = (path: string) => fetch(`${base}${path}`);
  const post = (path: string, body?: string) =>
    fetch(`${base}${path}`, { method: 'POST', body, headers: body === undefined ? {} : { 'Content-Type': 'application/json' } });
  const messages = async (res: Response) => ((await res.json()) as { message: unknown }).message;

  describe('query parameters', () => {
    it('refuses unknown, repeated and NUL-holding ones with the contract messages', async () => {
      expect(await messages(await get('/t/things?nmae=a'))).toEqual(['nmae is not a known query parameter']);
      expect(await messages(await get('/t/things?name=a&name=b'))).toEqual(['name must be a string']);
      expect(await messages(await get('/t/things?name=a%00b'))).toEqual(['name must not contain NUL characters']);
      expect(await messages(await get('/t/things?constructor=x'))).toEqual(['constructor is not a known query parameter']);
      expect(await messages(await get('/t/things?limit=0'))).toEqual(['limit must be an integer from 1 to 1000']);
    });

    it('refuses any on a route that takes none, before its path is checked', async () => {
      const res = await get('/t/things/not-a-uuid?a=1&b=%00');
      expect(res.status).toBe(400);
      expect(await messages(res)).toEqual(['a is not a known query parameter', 'b is not a known query parameter']);
    });
  });

  describe('path ids', () => {
    it('takes a UUID in any case, as sent, and refuses anything else', async () => {
      expect(await (await get(`/t/things/${ID}`)).json()).toEqual({ id: ID });
      for (const id of ['not-a-uuid', `${ID}%00`, '00000000-0000-0000-0000-00000000000g']) {
        expect(await messages(await get(`/t/things/${id}`))).toEqual(['id must be a UUID']);
      }
    });

    it('reports a malformed id before a malformed body', async () => {
      expect(await messages(await post('/t/things/abc/note', '{"note":1,"x":2}'))).toEqual(['id must be a UUID']);
      expect(await messages(await post(`/t/things/${ID}/note`, '{"note":1,"x":2}'))).toEqual(['x is not a known field', 'note must be a string']);
    });
  });

  describe('bodies', () => {
    it('reads an omitted optional body, or JSON null, as {}', async () => {
      for (const body of [undefined, 'null', '{}']) {
        const res = await post(`/t/things/${ID}/note`, body);
        expect(res.status).toBe(201);
        expect(await res.json()).toEqual({ id: ID, body: {} });
      }
    });

    it('refuses a required body that is missing, null or not an object', async () => {
      for (const body of [undefined, 'null', '[]', '"x"']) {
        expect(await messages(await post('/t/names', body))).toEqual(['body must be a JSON object']);
      }
      expect(await messages(await post(`/t/things/${ID}/note`, '[]'))).toEqual(['body must be a JSON object']);
    });

    it('refuses unknown and prototype-named fields and lone surrogates', async () => {
      expect(await messages(await post('/t/names', '{"name":"x","tenantId":"y"}'))).toEqual(['tenantId is not a known field']);
      expect(await messages(await post('/t/names', '{"name":"x","__proto__":{}}'))).toEqual(['__proto__ is not a known field']);
      expect(await messages(await post('/t/names', '{"name":"\\udfff"}'))).toEqual(['name must be well-formed Unicode (no lone surrogate code points)']);
    });
  });

  describe('list answers', () => {
    it('answers a page as a bare array, with Link when more records exist', async () => {
      const res = await get('/t/things?name=x%20y&offset=0&limit=1');
      expect(await res.json()).toEqual([THINGS[0]]);
      expect(res.headers.get('link')).toBe('</t/things?name=x+y&limit=1&cursor=next.cursor>; rel="next"');
      const last = await get('/t/things');
      expect(await last.json()).toEqual(THINGS);
      expect(last.headers.get('link')).toBeNull();
    });

    it('answers a download as a file: JSON, one record per line', async () => {
      const res = await get('/t/things?download=true');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="things-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json"$/);
      expect(await res.text()).toBe(`[\n${JSON.stringify(THINGS[0])},\n${JSON.stringify(THINGS[1])}\n]\n`);
    });

    it('answers a CSV download with a header row, quoting cells with line breaks', async () => {
      const res = await get('/t/things?download=true&format=csv');
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(await res.text()).toBe('name,note\r\na,"line\nbreak"\r\nb,\r\n');
    });

    it('reads no further than a client that stopped reading has taken, plus what the buffers hold', async () => {
      const { port } = new URL(base);
      let received = 0;
      const req = request({ host: '127.0.0.1', port, path: '/t/endless?download=true' });
      const firstBytes = new Promise<void>((resolve, reject) => {
        req.on('response', (res) => {
          res.once('data', (d: Buffer) => {
            received += d.length;
            res.pause();
            resolve();
          });
        });
        req.on('error', reject);
      });
      req.end();
      await firstBytes;
      // Nothing announces that the server has stopped reading: wait, turn by turn of the event
      // loop (no timer), until the count of reads has stood still for a good many turns.
      let still = 0;
      for (let last = -1, turns = 0; still < 500 && turns < 200_000; turns++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        still = endless.reads === last ? still + 1 : 0;
        last = endless.reads;
      }
      // 100 KB per read: the socket buffers on both sides (a few MB on loopback), the stream's 1 MB, one read ahead.
      expect(endless.reads).toBeLessThan(200);
      expect(received).toBeGreaterThan(0);
      req.destroy();
    });

    it('cuts a download short when a read fails half-way, instead of ending it as if complete', async () => {
      const res = await get('/t/things?download=true&name=fail');
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
    });
  });
});
