import { checkpointText, leafHash } from '@runtrail/merkle';
import { parseCheckpointText, unverifiedNoteText } from './checkpoint';

const ROOT = leafHash(Buffer.from('root'));
const B64 = ROOT.toString('base64');

describe('checkpoint text', () => {
  it('reads back what checkpointText writes, and ignores extension lines', () => {
    expect(parseCheckpointText(checkpointText('runtrail/local/acme', 20852163, ROOT))).toEqual({ origin: 'runtrail/local/acme', size: 20852163, root: ROOT });
    expect(parseCheckpointText(`o\n0\n${B64}\nextension one\n`)).toEqual({ origin: 'o', size: 0, root: ROOT });
  });

  it.each([
    [`o\n1\n${B64}`, 'does not end in a newline'],
    ['o\n1\n', 'fewer than three lines'],
    [`\n1\n${B64}\n`, 'an empty line'],
    [`o\n1\n${B64}\n\nx\n`, 'an empty line'],
    [`o\n01\n${B64}\n`, 'the tree size is not a decimal number'],
    [`o\n-1\n${B64}\n`, 'the tree size is not a decimal number'],
    [`o\n1e3\n${B64}\n`, 'the tree size is not a decimal number'],
    [`o\n99999999999999999999\n${B64}\n`, 'the tree size is not a decimal number'],
    [`o\n1\n${B64.slice(0, -1)}\n`, 'the root is not a 32-byte hash'],
    ['o\n1\nAAAA\n', 'the root is not a 32-byte hash'],
  ])('refuses %j', (text, message) => {
    expect(() => parseCheckpointText(text)).toThrow(message);
  });

  it('takes the text of a note before its signatures, unchecked', () => {
    expect(unverifiedNoteText('a\nb\n\n\u2014 k sig\n')).toBe('a\nb\n');
    expect(() => unverifiedNoteText('a\nb\n')).toThrow('no signature block');
  });
});
