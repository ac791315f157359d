import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { fileNameFromDisposition, saveBlob } from './download';

describe('fileNameFromDisposition', () => {
  it('takes the name the API gives', () => {
    expect(fileNameFromDisposition('attachment; filename="audit-2026-11-30T06-40-34-117Z.csv"', 'audit.csv')).toBe('audit-2026-11-30T06-40-34-117Z.csv');
    expect(fileNameFromDisposition('attachment; filename=action-runs-1.json', 'x')).toBe('action-runs-1.json');
    expect(fileNameFromDisposition('attachment; filename="a \\"b\\".csv"', 'x')).toBe('a "b".csv');
  });

  it('prefers the RFC 6266 filename* form', () => {
    expect(fileNameFromDisposition("attachment; filename=\"fallback.csv\"; filename*=UTF-8''r%C3%A9sum%C3%A9.csv", 'x')).toBe('résumé.csv');
  });

  it('keeps a name, never a path, and falls back when there is none', () => {
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"', 'audit.json')).toBe('passwd');
    expect(fileNameFromDisposition('attachment; filename="C:\\\\x\\\\y.csv"', 'audit.json')).toBe('y.csv');
    expect(fileNameFromDisposition('attachment; filename=".."', 'audit.json')).toBe('audit.json');
    expect(fileNameFromDisposition('attachment', 'audit.json')).toBe('audit.json');
    expect(fileNameFromDisposition(null, 'audit.json')).toBe('audit.json');
  });
});

describe('saveBlob', () => {
  afterEach(() => vi.useRealTimers());

  it('saves through a temporary object URL and an <a download> named as given', () => {
    vi.useFakeTimers();
    const created = vi.fn(() => 'blob:console/1');
    const revoked = vi.fn();
    // jsdom has no object URLs: lend them for this test.
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: revoked });
    onTestFinished(() => {
      Reflect.deleteProperty(URL, 'createObjectURL');
      Reflect.deleteProperty(URL, 'revokeObjectURL');
    });
    const clicks: { href: string; download: string }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download });
    });
    saveBlob(new Blob(['a,b\n']), 'audit-1.csv');
    expect(click).toHaveBeenCalledOnce();
    expect(clicks).toEqual([{ href: 'blob:console/1', download: 'audit-1.csv' }]);
    expect(document.querySelector('a[download]')).toBeNull();
    vi.runAllTimers();
    expect(revoked).toHaveBeenCalledWith('blob:console/1');
  });
});
