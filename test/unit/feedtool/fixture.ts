// A small, self-contained manifest with its sources in a temporary folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/feedtool/cli.ts';

export const REFS_CSV = `ref_id,authority,list_or_case,legal_basis_as_quoted,event_date_as_reported,domains_named,source_url,source_kind,quote_excerpt
REG-1,Autorità di Prova (ADP),registro siti inibiti,"art. 1, legge 1/2020",2021-03 (batch),,https://example.org/reg,news article,"Il registro ... art. 1"
CASE-1,Tribunale di Prova (on complaint by Alfa / Beta),blocking of two sites,(not stated),injunction March 2022; appeal June 2022,court-a.com; court-b.com,https://example.org/case,news article,"i siti court-a.com e court-b.com"
`;

/** The fixture's two orders (a register and a court case); `caseExtra` adds lines to the case. */
export function ordersYaml(caseExtra: string): string {
  return `  reg:
    authority: adp
    category: gambling
    title: { it: "registro siti inibiti" }
    refs: [REG-1]
  case:
    authority: trib
    category: copyright
    title: { en: "blocking of two sites" }
    refs: [CASE-1]
${caseExtra}`;
}

export function manifestYaml(over: { orders?: string; lists?: string; extra?: string } = {}): string {
  return `format: 1
jurisdiction: XX
serial: 7
generated: "2026-01-01T00:00:00Z"
expires: "2027-01-01T00:00:00Z"
references: refs.csv
authorities:
  adp: { name: { it: "Autorità di Prova" }, short: ADP, kind: regulator }
  trib: { name: { it: "Tribunale di Prova" }, kind: court }
orders:
${
  over.orders ??
  ordersYaml(`    dateFrom: CASE-1
    date: "2022-03"
    requestedBy: "Alfa / Beta"`)
}
editions:
  reg-1: { date: "2021-03", source: "test register" }
  case-1: { source: "test case" }
lists:
${
  over.lists ??
  `  - file: reg.hosts
    orders: [reg]
    edition: reg-1
    import: { format: hosts }
  - file: refs.csv
    orders: [case]
    edition: case-1
    import: { format: references, ref: CASE-1 }`
}
${over.extra ?? ''}`;
}

export const REG_HOSTS = '\ufeff0.0.0.0 b.example.com\n0.0.0.0 A.example.com\n0.0.0.0 a.example.com.\n0.0.0.0 court-b.com\n0.0.0.0 nonché\n';

/** Writes the fixture; returns its folder. */
// Every fixture folder a test file made is removed after that file's tests (this module is
// evaluated once per test file, so the hook belongs to the file that imports it).
const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function makeFixture(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ordinanza-feed-'));
  made.push(dir);
  const all = { 'refs.csv': REFS_CSV, 'reg.hosts': REG_HOSTS, 'sources.yaml': manifestYaml(), ...files };
  for (const [name, text] of Object.entries(all)) writeFileSync(join(dir, name), text);
  return dir;
}

export interface CapturedIo extends CliIo {
  stdout: string;
  stderr: string;
}

export function captureIo(cwd: string, env: Record<string, string | undefined> = {}): CapturedIo {
  const io: CapturedIo = {
    stdout: '',
    stderr: '',
    env,
    cwd,
    out(t) {
      io.stdout += t;
    },
    err(t) {
      io.stderr += t;
    },
  };
  return io;
}
