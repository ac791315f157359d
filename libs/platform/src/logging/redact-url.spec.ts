import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('hides every token parameter, wherever it stands', () => {
    expect(redactUrl('/embed?token=rtv_abc')).toBe('/embed?token=[redacted]');
    expect(redactUrl('/embed?x=1&token=rtv_abc&y=2')).toBe('/embed?x=1&token=[redacted]&y=2');
    expect(redactUrl('/embed?TOKEN=a&token=b')).toBe('/embed?TOKEN=[redacted]&token=[redacted]');
  });

  it('leaves filters, cursors and paths alone', () => {
    expect(redactUrl('/v1/audit?source_id=token&cursor=abc')).toBe('/v1/audit?source_id=token&cursor=abc');
    expect(redactUrl('/token=x')).toBe('/token=x');
    expect(redactUrl('/v1/audit?mytoken=1')).toBe('/v1/audit?mytoken=1');
  });
});
