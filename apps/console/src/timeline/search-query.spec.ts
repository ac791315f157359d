import { describe, expect, it } from 'vitest';
import { formatSearch, parseSearch, type SearchFilters } from './search-query';

const filters = (text: string) => {
  const result = parseSearch(text);
  if (!result.ok) throw new Error(result.error);
  return result.filters;
};
const error = (text: string) => {
  const result = parseSearch(text);
  if (result.ok) throw new Error(`parsed: ${JSON.stringify(result.filters)}`);
  return result.error;
};

describe('parseSearch', () => {
  it('reads nothing from empty or blank text', () => {
    expect(filters('')).toEqual({});
    expect(filters('   ')).toEqual({});
  });

  it('reads every qualifier of GET /v1/audit', () => {
    expect(
      filters('action:Delete source_type:User source_id:u-1 source_name:jane@acme.io entity_type:Project entity_id:42 success:false'),
    ).toEqual({
      action: 'Delete',
      source_type: 'User',
      source_id: 'u-1',
      source_name: 'jane@acme.io',
      entity_type: 'Project',
      entity_id: '42',
      success: 'false',
    });
  });

  it('takes values with spaces in double quotes, with \\" and \\\\ inside', () => {
    expect(filters('source_name:"Jane Doe" entity_id:"a \\"quoted\\" \\\\ id"')).toEqual({
      source_name: 'Jane Doe',
      entity_id: 'a "quoted" \\ id',
    });
  });

  it('keeps colons and quotes inside an unquoted value', () => {
    expect(filters('entity_id:urn:x:1 source_id:it\'s')).toEqual({ entity_id: 'urn:x:1', source_id: "it's" });
  });

  it('reads qualifier names in any case and normalises success and source_type', () => {
    expect(filters('ACTION:Login Success:TRUE source_type:application')).toEqual({ action: 'Login', success: 'true', source_type: 'Application' });
  });

  it('refuses bare words, saying how to write a filter', () => {
    expect(error('delete')).toBe('“delete” is not a filter: write qualifier:value, for example action:Delete or source_name:"Jane Doe".');
    expect(error('action:Delete jane')).toMatch(/^“jane” is not a filter/);
    expect(error('"Jane Doe"')).toMatch(/^“"Jane Doe"” is not a filter/);
  });

  it('refuses a name with a space that is not quoted (its second word is bare)', () => {
    expect(error('source_name:Jane Doe')).toMatch(/^“Doe” is not a filter/);
  });

  it('refuses unknown qualifiers, listing the known ones', () => {
    expect(error('user:jane')).toBe(
      'user: is not a qualifier. Use one of action: source_type: source_id: source_name: entity_type: entity_id: success: changed_field: correlation_id:',
    );
  });

  it('refuses empty values, unclosed quotes, text glued to a closing quote and repeated qualifiers', () => {
    expect(error('action:')).toBe('action: needs a value.');
    expect(error('action:""')).toBe('action: needs a value.');
    expect(error('source_name:"Jane')).toBe('The quote after source_name: is not closed.');
    expect(error('source_name:"Jane"Doe')).toBe('Leave a space after the closing quote of source_name:.');
    expect(error('action:Create action:Delete')).toMatch(/^action: is given twice/);
  });

  it('checks the values the API only takes from a list', () => {
    expect(error('success:yes')).toBe('success: is true or false.');
    expect(error('source_type:Robot')).toBe('source_type: is User or Application.');
  });

  it('reads changed_field and correlation_id, with the rules the API checks', () => {
    expect(filters('changed_field:spec.replicas correlation_id:"change 4711"')).toEqual({ changed_field: 'spec.replicas', correlation_id: 'change 4711' });
    expect(error('changed_field:1replicas')).toMatch(/^changed_field: is a field name/);
    expect(error(`changed_field:${'a'.repeat(65)}`)).toMatch(/^changed_field: is a field name/);
    expect(filters(`correlation_id:${'x'.repeat(128)}`)).toEqual({ correlation_id: 'x'.repeat(128) });
    expect(error(`correlation_id:${'x'.repeat(129)}`)).toBe('correlation_id: is 1 to 128 characters, none of them control characters.');
    expect(error('correlation_id:"a\u0007b"')).toMatch(/^correlation_id: is 1 to 128/);
  });
});

describe('formatSearch', () => {
  it('writes the filters in a fixed order, quoting what needs it', () => {
    expect(formatSearch({ success: 'true', source_name: 'Jane Doe', action: 'Update' })).toBe('action:Update source_name:"Jane Doe" success:true');
    expect(formatSearch({ entity_id: 'say "hi"\\' })).toBe('entity_id:"say \\"hi\\"\\\\"');
    expect(formatSearch({})).toBe('');
  });

  it('round-trips through parseSearch', () => {
    const cases: SearchFilters[] = [
      { action: 'Delete' },
      { source_name: 'Jane Doe', entity_type: 'Project' },
      { entity_id: 'a "b" \\ c', source_id: 'tab\there' },
      { source_type: 'Application', success: 'false', entity_id: 'x:y' },
      { changed_field: 'replicas', correlation_id: 'CI pipeline #42' },
    ];
    for (const f of cases) expect(filters(formatSearch(f))).toEqual(f);
  });
});
