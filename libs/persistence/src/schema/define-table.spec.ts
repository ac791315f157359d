import { col, defineTable } from './define-table';

const things = defineTable(
  'things',
  {
    tenantId: col.text().primary(),
    id: col.uuid().primary(),
    label: col.text(),
    note: col.text().nullable(),
    seenAt: col.timestamp(),
    count: col.bigint(),
    position: col.position(),
    meta: col.json<{ a: number }>(),
    renamed: col.integer().named('legacy_name'),
  },
  [{ name: 'ix_things_label', columns: ['tenantId', 'label'] }, { name: 'ix_owned', columns: ['label'], ownedByMigration: true }],
);

const row = {
  tenantId: 'acme',
  id: '00000000-0000-4000-8000-000000000001',
  label: 'the label',
  note: null,
  seenAt: '2026-01-02T03:04:05.678Z',
  count: 7,
  position: '1025',
  meta: { a: 1 },
  renamed: 3,
};

/** The column list of an INSERT, in order. */
function insertedColumns(text: string): string[] {
  return (/INSERT INTO \w+ \(([^)]*)\)/.exec(text)?.[1] ?? '').split(', ');
}

describe('defineTable', () => {
  it('names columns in snake_case unless told otherwise', () => {
    expect(things.column('seenAt')).toBe('seen_at');
    expect(things.column('renamed')).toBe('legacy_name');
  });

  it('binds each field under its own column, whatever the order of the row object', () => {
    const insert = things.insert();
    const params = insert.params([row]);
    const columns = insertedColumns(insert.text);
    const byColumn = Object.fromEntries(columns.map((c, i) => [c, params[i][0]]));
    expect(byColumn).toEqual({
      tenant_id: 'acme',
      id: row.id,
      label: 'the label',
      note: null,
      seen_at: row.seenAt,
      count: 7,
      position: '1025',
      meta: '{"a":1}',
      legacy_name: 3,
    });
  });

  it('writes any number of rows with one array per column, cast to the column type', () => {
    const insert = things.insert();
    expect(insert.text).toContain('SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[], $7::bigint[], $8::jsonb[], $9::integer[])');
    const params = insert.params([row, { ...row, label: 'second' }, { ...row, label: 'third' }]);
    expect(params).toHaveLength(9);
    expect(params[insertedColumns(insert.text).indexOf('label')]).toEqual(['the label', 'second', 'third']);
  });

  it('builds the upsert rules: every other column, named columns with a condition, or nothing', () => {
    expect(things.insert({ conflict: ['tenantId', 'id'] }).text).toMatch(
      /ON CONFLICT \(tenant_id, id\) DO UPDATE SET label = EXCLUDED\.label, note = EXCLUDED\.note, .*legacy_name = EXCLUDED\.legacy_name$/,
    );
    expect(things.insert({ conflict: ['id'], update: ['label', 'count'], where: 'things.count < EXCLUDED.count' }).text).toMatch(
      /ON CONFLICT \(id\) DO UPDATE SET label = EXCLUDED\.label, count = EXCLUDED\.count WHERE things\.count < EXCLUDED\.count$/,
    );
    expect(things.insert({ conflict: ['id'], update: 'nothing', where: 'ignored' }).text).toMatch(/ON CONFLICT \(id\) DO NOTHING$/);
  });

  it('selects every column under its field name and decodes what pg returns', () => {
    expect(things.select()).toBe(
      'tenant_id AS "tenantId", id AS "id", label AS "label", note AS "note", seen_at AS "seenAt", count AS "count", position AS "position", meta AS "meta", legacy_name AS "renamed"',
    );
    expect(things.select('t')).toMatch(/^t\.tenant_id AS "tenantId", t\.id AS "id"/);
    const fromPg = { ...row, seenAt: new Date(row.seenAt), count: '7', position: '1025' };
    expect(things.decode(fromPg)).toEqual(row);
    expect(things.decode({ ...fromPg, note: 'n' }).note).toBe('n');
  });

  it('describes the same table to TypeORM, indexes included', () => {
    const { options } = things.entity();
    expect(options.tableName).toBe('things');
    expect(options.columns.seenAt).toEqual({ name: 'seen_at', type: 'timestamptz', nullable: false, primary: false, precision: 3 });
    expect(options.columns.tenantId).toMatchObject({ name: 'tenant_id', type: 'text', primary: true });
    expect(options.columns.note).toMatchObject({ nullable: true });
    expect(options.indices).toEqual([
      { name: 'ix_things_label', columns: ['tenantId', 'label'], unique: false },
      { name: 'ix_owned', columns: ['label'], unique: false, synchronize: false },
    ]);
  });
});
