// User settings: one typed defaults object, read from storage.local and validated.
import * as v from 'valibot';
import { CATEGORIES } from '../core/feed.ts';
import { DEFAULT_SELECTION, type Selection } from '../core/selection.ts';
import { browser } from '../platform/browser.ts';

export const SETTINGS_VERSION = 1;

const CategoryToggles = v.partial(v.object(Object.fromEntries(CATEGORIES.map((c) => [c, v.boolean()])) as Record<(typeof CATEGORIES)[number], v.BooleanSchema<undefined>>));
const SettingsSchema = v.object({
  version: v.literal(SETTINGS_VERSION),
  jurisdictions: v.record(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/)), v.boolean()),
  categories: v.record(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/)), CategoryToggles),
  blockSubresources: v.boolean(),
});

export type Settings = v.InferOutput<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  jurisdictions: { ...DEFAULT_SELECTION.jurisdictions },
  categories: {},
  blockSubresources: true,
};

export function selectionOf(s: Settings): Selection {
  return { jurisdictions: s.jurisdictions, categories: s.categories };
}

export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get('settings'))['settings'];
  const r = v.safeParse(SettingsSchema, stored);
  return r.success ? r.output : DEFAULT_SETTINGS;
}
