// Importers on small hand-made inputs: each option and each failure, one at a time.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRows, decodeSource, hostFromFreeText, ImportError, importCsv, importHosts, importLines, readHost, splitLines } from '../../../src/feedtool/importers/index.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

describe('decoding', () => {
  it('strips a UTF-8 BOM and says it was there', () => {
    const d = decodeSource(bytes([0xef, 0xbb, 0xbf], 'a.com\n'));
    expect(d).toMatchObject({ text: 'a.com\n', bom: true, gzip: false });
  });
  it('reads gzip by its magic bytes', () => {
    const d = decodeSource(new Uint8Array(gzipSync(utf8('a.com\r\nb.com'))));
    expect(d).toMatchObject({ text: 'a.com\r\nb.com', gzip: true, crlf: true });
  });
  it('reads cp1251 and cp1250', () => {
    // "76автобар.рф" and "příklad.cz" in the legacy code pages.
    expect(decodeSource(bytes('76', [0xe0, 0xe2, 0xf2, 0xee, 0xe1, 0xe0, 0xf0], '.', [0xf0, 0xf4]), 'windows-1251').text).toBe('76автобар.рф');
    expect(decodeSource(bytes('p', [0xf8, 0xed], 'klad.cz'), 'windows-1250').text).toBe('příklad.cz');
  });
  it('refuses bytes that are not in the declared encoding, and broken gzip', () => {
    expect(() => decodeSource(bytes([0xf0, 0xf4, 0x0a]))).toThrow(ImportError);
    expect(() => decodeSource(bytes([0x1f, 0x8b, 1, 2, 3]))).toThrow(/corrupt gzip/);
  });
  it('splits LF, CRLF and CR; a final newline adds no line', () => {
    expect(splitLines('a\r\nb\nc\rd\n')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['']);
  });
});

describe('reading one value', () => {
  it('bare hosts, URLs and free text', () => {
    expect(readHost(' WWW.Example.COM. ', 'host', false)).toEqual({ ok: true, host: 'www.example.com' });
    expect(readHost('http://www.x.ws/', 'url', false)).toEqual({ ok: true, host: 'www.x.ws', via: 'url' });
    expect(readHost('https://пример.рф/путь', 'auto', false)).toEqual({ ok: true, host: 'xn--e1afmkfd.xn--p1ai', via: 'url' });
    expect(readHost('ftp://x.com/', 'url', false)).toEqual({ ok: false, reason: 'not a web URL (ftp:)' });
    expect(readHost('x.com', 'url', false)).toEqual({ ok: false, reason: 'not a valid URL' });
    expect(readHost('sito\u00a0internet\u00a0www.capo-invest.com', 'host', true)).toEqual({ ok: true, host: 'www.capo-invest.com', via: 'text' });
    expect(readHost('sito\u00a0internet\u00a0www.capo-invest.com', 'host', false)).toEqual({ ok: false, reason: 'contains white space' });
  });
  it('free text must hold exactly one host', () => {
    expect(hostFromFreeText('see a.com and b.com')).toEqual({ ok: false, reason: 'free text with 2 hostnames (ambiguous)' });
    expect(hostFromFreeText('nonché altro')).toEqual({ ok: false, reason: 'free text with no hostname in it' });
    expect(hostFromFreeText('(vedi www.a.com, www.A.com.)')).toEqual({ ok: true, host: 'www.a.com', via: 'text' });
    expect(hostFromFreeText('sito https://b.org/x')).toEqual({ ok: true, host: 'b.org', via: 'text' });
  });
});

describe('one host per line', () => {
  it('comments, blanks, inline comments, dedupe, rejections with lines', () => {
    const r = importLines(utf8('# head\n\na.com\nA.COM.\nb.com # note\nnonché\n  \u00a0\nc.com:443\n'));
    expect(r.entries).toEqual([
      { host: 'a.com', line: 3 },
      { host: 'b.com', line: 5 },
      { host: 'c.com', line: 8 },
    ]);
    expect(r.rejected).toEqual([{ line: 6, text: 'nonché', reason: 'not a hostname (no dot)' }]);
    expect(r.stats).toMatchObject({ lines: 8, skipped: 3, candidates: 5, kept: 3, duplicates: 1, rejected: 1 });
  });
  it('preamble prefixes are kept verbatim in the stats', () => {
    const r = importLines(utf8('Updated: today\na.com'), { skipPrefixes: ['Updated:'] });
    expect(r.stats.preamble).toEqual(['Updated: today']);
    expect(r.entries).toHaveLength(1);
  });
  it('IPv4 literals are entries; odd IPv4 spellings, IPv6, wildcards and CIDR are not', () => {
    const r = importLines(utf8('10.0.0.1\n0x7f.1\n[::1]\n*.a.com\n10.0.0.0/8\n'));
    expect(r.entries.map((e) => e.host)).toEqual(['10.0.0.1']);
    expect(r.rejected.map((x) => x.reason)).toEqual([
      'IPv4 address not in dotted-quad form',
      'IPv6 addresses are not supported',
      'wildcards are not supported (a host already covers its subdomains)',
      'CIDR ranges are not supported (list single addresses)',
    ]);
  });
});

describe('hosts files', () => {
  it('several names per line, comments, bad lines', () => {
    const r = importHosts(utf8('127.0.0.1 a.com www.a.com # x\n# c\nb.com\n127.0.0.1\n0.0.0.0 c.com\t\n'));
    expect(r.entries.map((e) => [e.host, e.line])).toEqual([
      ['a.com', 1],
      ['www.a.com', 1],
      ['c.com', 5],
    ]);
    expect(r.rejected.map((x) => [x.line, x.reason])).toEqual([
      [3, 'hosts line does not start with an address'],
      [4, 'hosts line has an address but no name'],
    ]);
  });
  it('can insist on the authority stop-page address', () => {
    const r = importHosts(utf8('217.175.53.72 a.com\n127.0.0.1 b.com\n'), { addresses: ['217.175.53.72'] });
    expect(r.rejected).toEqual([{ line: 2, text: '127.0.0.1 b.com', reason: 'unexpected address 127.0.0.1' }]);
  });
});

describe('CSV', () => {
  it('RFC 4180 quotes: separators, doubled quotes and line breaks inside a field', () => {
    const r = importCsv(utf8('name,host,note\n"a, ""b""",a.com,x\n"multi\nline",b.com,"y\nz"\nlast,c.com,\n'), {
      header: true,
      hosts: [{ column: 'host' }],
      fields: { name: 'name', note: 'note' },
    });
    expect(r.entries).toEqual([
      { host: 'a.com', line: 2, fields: { name: 'a, "b"', note: 'x' } },
      { host: 'b.com', line: 3, fields: { name: 'multi\nline', note: 'y\nz' } },
      { host: 'c.com', line: 6, fields: { name: 'last' } },
    ]);
    expect(r.stats.lines).toBe(6);
  });
  it('no quoting, other separator, split from both ends on overflow', () => {
    const opts = { separator: ';', quote: null, columns: 4, overflowInto: 2, hosts: [{ column: 1 }], fields: { url: 2, date: 3 } } as const;
    const r = importCsv(utf8('1.2.3.4;a.com;http://a.com/?x=1;y=2;z;2020-01-01\n1.2.3.4;b.com;http://b.com/;2020-01-02\nshort;row\n'), opts);
    expect(r.entries).toEqual([
      { host: 'a.com', line: 1, fields: { url: 'http://a.com/?x=1;y=2;z', date: '2020-01-01' } },
      { host: 'b.com', line: 2, fields: { url: 'http://b.com/', date: '2020-01-02' } },
    ]);
    expect(r.rejected).toEqual([{ line: 3, text: 'short;row', reason: 'expected 4 fields, found 2' }]);
  });
  it('several values per field and a fallback column used only for rows without a host', () => {
    const r = importCsv(utf8('1.1.1.1 | 2.2.2.2;a.com\n3.3.3.3 | 4.4.4.4;\n;\n'), {
      separator: ';',
      hosts: [{ column: 1 }, { column: 0, split: ' | ', fallback: true }],
    });
    expect(r.entries.map((e) => [e.host, e.line])).toEqual([
      ['a.com', 1],
      ['3.3.3.3', 2],
      ['4.4.4.4', 2],
    ]);
    expect(r.stats.skipped).toBe(1);
  });
  it('a row with an empty host field is rejected, not dropped', () => {
    const r = importCsv(utf8('h,d\n,2020-01-01\n'), { header: true, hosts: [{ column: 'h' }] });
    expect(r.rejected).toEqual([{ line: 2, text: ',2020-01-01', reason: 'no host in this row (empty host field)' }]);
  });
  it('dates: DD.MM.YYYY and ISO to ISO; impossible dates are rejected', () => {
    const r = importCsv(utf8('a.com;1.2.2020;\nb.com;31.02.2020;\nc.com;05.03.2021;2022-01-09\n'), {
      separator: ';',
      hosts: [{ column: 0 }],
      listed: { column: 1, format: 'dmy' },
      removed: { column: 2, format: 'iso' },
    });
    expect(r.entries).toEqual([
      { host: 'a.com', line: 1, listed: '2020-02-01' },
      { host: 'c.com', line: 3, listed: '2021-03-05', removed: '2022-01-09' },
    ]);
    expect(r.rejected[0]).toMatchObject({ line: 2, reason: 'invalid listed date "31.02.2020" (expected DD.MM.YYYY)' });
  });
  it('one row of a table, by value', () => {
    const r = importCsv(utf8('id,domains\nA,a.com; b.com\nB,c.com\n'), {
      header: true,
      where: { column: 'id', equals: 'A' },
      hosts: [{ column: 'domains', split: ';' }],
    });
    expect(r.entries.map((e) => e.host)).toEqual(['a.com', 'b.com']);
  });
  it('an unknown column name is an error, not an empty import', () => {
    expect(() => importCsv(utf8('a,b\nx.com,y\n'), { header: true, hosts: [{ column: 'host' }] })).toThrow(/no column "host"/);
  });
  it('an unterminated quote is an error naming the line of its row, not a swallowed rest of the file', () => {
    // The parser counts bytes: the two-byte characters before the broken row must not shift its line.
    const note = 'è'.repeat(20);
    const broken = utf8(`host,note\na.com,${note}\nb.com,"open\nc.com,y\n`);
    expect(() => importCsv(broken, { header: true, hosts: [{ column: 'host' }] })).toThrow(ImportError);
    expect(() => importCsv(broken, { header: true, hosts: [{ column: 'host' }] })).toThrow(/^line 3: a quoted field opened in this row is never closed/);
    // Where quotes are plain text, the same file reads row by row.
    const r = importCsv(broken, { header: true, quote: null, hosts: [{ column: 'host' }], fields: { note: 'note' } });
    expect(r.entries.map((e) => [e.host, e.line, e.fields?.['note']])).toEqual([
      ['a.com', 2, note],
      ['b.com', 3, '"open'],
      ['c.com', 4, 'y'],
    ]);
  });
  it('a quote inside an unquoted field, a multi-character separator, CRLF and blank lines', () => {
    const r = importCsv(utf8('a.com::12" screen\r\n\r\nb.com::"x:: y"\r\n'), { separator: '::', hosts: [{ column: 0 }], fields: { note: 1 } });
    expect(r.entries).toEqual([
      { host: 'a.com', line: 1, fields: { note: '12" screen' } },
      { host: 'b.com', line: 3, fields: { note: 'x:: y' } },
    ]);
    expect(r.stats).toMatchObject({ lines: 3, skipped: 1, crlf: true });
  });
  it('property: fields written by RFC 4180 read back unchanged, each row at its first line', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'é', ' ', ',', ';', '"', '\n') });
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 5 });
    fc.assert(
      fc.property(table, fc.constantFrom(',', ';'), fc.constantFrom('\n', '\r\n'), (rows, sep, eol) => {
        // A lone empty field would be a blank line; quote it so that the row is kept as written.
        const cell = (f: string) => (/[,;"\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f);
        const text = rows.map((r) => r.map(cell).join(sep)).join(eol);
        const read = csvRows(text, sep);
        expect(read.map((r) => r.fields)).toEqual(rows);
        let line = 1;
        for (const [i, r] of read.entries()) {
          expect(r.line).toBe(line);
          line += (r.raw.match(/\n/g)?.length ?? 0) + 1;
          expect(r.raw).toBe(rows[i]?.map(cell).join(sep).replaceAll('\r\n', '\n'));
        }
      }),
    );
  });
});
