import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '@runtrail/platform';
import { CursorCodec } from './cursor-codec';

describe('CursorCodec', () => {
  const codec = new CursorCodec(randomBytes(32));
  const position = { t: '2022-07-07T09:45:32.069Z', i: '1024' };

  it('gives back the position it encoded for the same query', () => {
    expect(codec.decode(codec.encode(position, 'q1'), 'q1')).toEqual(position);
  });

  it('refuses a cursor issued for other filters', () => {
    expect(() => codec.decode(codec.encode(position, 'q1'), 'q2')).toThrow(InvalidInputError);
  });

  it('refuses a cursor signed with another secret (another installation)', () => {
    const other = new CursorCodec(randomBytes(32));
    expect(() => codec.decode(other.encode(position, 'q1'), 'q1')).toThrow(InvalidInputError);
  });

  it('refuses a cursor whose position was edited', () => {
    const [, signature] = codec.encode(position, 'q1').split('.');
    const forged = Buffer.from(JSON.stringify({ t: '2030-01-01T00:00:00.000Z', i: '1', q: 'q1' })).toString('base64url');
    expect(() => codec.decode(`${forged}.${signature}`, 'q1')).toThrow(InvalidInputError);
  });

  it.each(['', 'abc', 'a.b.c', '.', 'x'.repeat(600)])('refuses garbage %j', (garbage) => {
    expect(() => codec.decode(garbage, 'q1')).toThrow(InvalidInputError);
  });
});
