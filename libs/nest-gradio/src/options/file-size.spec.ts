import { parseFileSize } from './file-size.js';

describe('parseFileSize (Gradio’s max_file_size notation)', () => {
  it('reads "<integer><unit>" with binary units, case and spaces ignored (docs/protocol.md#config: "1kb" = 1024)', () => {
    // Gradio's FileSize: B = 1, KB = 1024, MB = 1024², GB = 1024³, TB = 1024⁴.
    expect(parseFileSize('1kb')).toBe(1024);
    expect(parseFileSize('1 KB')).toBe(1024);
    expect(parseFileSize('10mb')).toBe(10 * 1024 ** 2);
    expect(parseFileSize('2gb')).toBe(2 * 1024 ** 3);
    expect(parseFileSize('1tb')).toBe(1024 ** 4);
    expect(parseFileSize('500b')).toBe(500);
    expect(parseFileSize('500')).toBe(500);
    expect(parseFileSize(7)).toBe(7);
  });

  it('keeps null as "no limit" and refuses nonsense with the option name', () => {
    expect(parseFileSize(null)).toBeNull();
    expect(() => parseFileSize('ten megabytes')).toThrow(/maxFileSize/);
    expect(() => parseFileSize('5pb')).toThrow(/units b, kb, mb, gb, tb/);
    expect(() => parseFileSize(-1)).toThrow(/whole number/);
  });
});
