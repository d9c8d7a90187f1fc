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

export const REMEDIES_CSV = `id,jurisdiction,applies_to,remedy,body,deadline,source_url,quote,source_kind
R-CASE,XX,court orders,reclamo to the court,the same court,15 days,https://example.org/remedy,"Contro l'ordinanza è ammesso reclamo",statute text
R-YY,YY,other country,appeal,court,,https://example.org/yy,"quote",statute text
`;

/**
 * The fixture's two orders (a register and a court case); `caseAct` adds fields to the case's act,
 * `caseExtra` adds lines to the case.
 */
export function ordersYaml(caseExtra: string, caseAct = ''): string {
  return `  reg:
    authority: adp
    category: gambling
    refs: [REG-1]
    act: { kind: register, title: { it: "registro siti inibiti" } }
    legalBasis: { from: REG-1 }
  case:
    authority: trib
    category: copyright
    refs: [CASE-1]
    act: { kind: court-order, title: { en: "blocking of two sites" }${caseAct} }
${caseExtra}`;
}

export function manifestYaml(over: { orders?: string; lists?: string; extra?: string } = {}): string {
  return `format: 2
jurisdiction: XX
serial: 7
generated: "2026-01-01T00:00:00Z"
expires: "2027-01-01T00:00:00Z"
references: refs.csv
remedies: remedies.csv
authorities:
  adp: { name: { it: "Autorità di Prova" }, short: ADP, kind: regulator }
  trib: { name: { it: "Tribunale di Prova" }, kind: court }
orders:
${
  over.orders ??
  ordersYaml(
    `    requestedBy: "Alfa / Beta"
    remedies: [R-CASE]`,
    ', dateFrom: CASE-1, date: "2022-03"',
  )
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
  const all = { 'refs.csv': REFS_CSV, 'remedies.csv': REMEDIES_CSV, 'reg.hosts': REG_HOSTS, 'sources.yaml': manifestYaml(), ...files };
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
