// One typed message map between the pages and the background, validated at run time.
import * as v from 'valibot';
import type { Explanation } from './explain.ts';

export interface FeedStatus {
  readonly jurisdiction: string;
  readonly serial: number;
  readonly generated: string;
  readonly expires: string;
  readonly source: 'embedded' | 'remote';
  readonly hostCount: number;
  readonly enabled: boolean;
  readonly stale: boolean;
}

export interface RulesStatus {
  readonly ruleCount: number;
  readonly blockedHosts: number;
  readonly mode: string;
  readonly appliedAt: string | null;
  readonly errors: readonly string[];
  readonly limitations: readonly string[];
}

export interface Status {
  readonly feeds: readonly FeedStatus[];
  readonly rules: RulesStatus;
}

const RequestSchema = v.variant('type', [
  v.strictObject({ type: v.literal('lookup'), input: v.pipe(v.string(), v.maxLength(8192)) }),
  v.strictObject({ type: v.literal('status') }),
]);

export type Request = v.InferOutput<typeof RequestSchema>;

export interface ResponseMap {
  lookup: Explanation;
  status: Status;
}

export type ResponseTo<R extends Request> = ResponseMap[R['type']];

export function parseRequest(value: unknown): Request | null {
  const r = v.safeParse(RequestSchema, value);
  return r.success ? r.output : null;
}
