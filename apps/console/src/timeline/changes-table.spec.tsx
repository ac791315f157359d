import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChangesTable } from './changes-table';

/** Each body row as [field, change, before, after] texts. */
function rows(): string[][] {
  const table = screen.getByRole('table', { name: 'Changes' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((tr) => [...tr.children].map((cell) => cell.textContent ?? ''));
}

describe('changes table', () => {
  it('is a captioned table with column headers and the field as each row header', () => {
    render(<ChangesTable changes={{ replicas: { before: 2, after: 3 } }} />);
    const table = screen.getByRole('table', { name: 'Changes' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Field', 'Change', 'Before', 'After']);
    expect(within(table).getByRole('rowheader', { name: 'replicas' })).toBeInTheDocument();
  });

  it('says in words which fields were added, removed, changed, or kept the same value', () => {
    render(
      <ChangesTable
        changes={{
          replicas: { before: 2, after: 3 },
          owner: { after: 'jane' },
          legacyFlag: { before: true },
          image: { before: 'nginx:1.25', after: 'nginx:1.25' },
          note: {},
        }}
      />,
    );
    // by field name, whatever order the record's JSON has
    expect(rows()).toEqual([
      ['image', 'unchanged', 'nginx:1.25', 'nginx:1.25'],
      ['legacyFlag', 'removed', 'true', '(none after)'],
      ['note', 'no values', '(none before)', '(none after)'],
      ['owner', 'added', '(none before)', 'jane'],
      ['replicas', 'changed', '2', '3'],
    ]);
  });

  it('shows values that are not strings as compact JSON, and null apart from an absent side', () => {
    render(
      <ChangesTable
        changes={{
          limits: { before: { cpu: '500m', memory: '1Gi' }, after: { memory: '2Gi', cpu: '500m' } },
          labels: { before: ['a', 'b'], after: null },
          sameObject: { before: { b: 1, a: [1, { y: 2, x: 1 }] }, after: { a: [1, { x: 1, y: 2 }], b: 1 } },
          text: { before: '', after: '{"looks":"like JSON"}' },
        }}
      />,
    );
    expect(rows()).toEqual([
      ['labels', 'changed', '["a","b"]', 'null'],
      ['limits', 'changed', '{"cpu":"500m","memory":"1Gi"}', '{"memory":"2Gi","cpu":"500m"}'],
      ['sameObject', 'unchanged', '{"b":1,"a":[1,{"y":2,"x":1}]}', '{"a":[1,{"x":1,"y":2}],"b":1}'],
      ['text', 'changed', '(empty text)', '{"looks":"like JSON"}'],
    ]);
  });

  it('shows nothing for a record without changes', () => {
    const { container, rerender } = render(<ChangesTable changes={null} />);
    expect(container).toBeEmptyDOMElement();
    rerender(<ChangesTable changes={{}} />);
    expect(container).toBeEmptyDOMElement();
    rerender(<ChangesTable changes={undefined} />);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
