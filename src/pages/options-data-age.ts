// The options field for the data-age threshold (months after which a list "may be out of date").
import { DATA_MAX_AGE_MAX_MONTHS, DATA_MAX_AGE_MIN_MONTHS, type SettingsPatch } from '../core/config.ts';
import type { SettingsView } from '../core/messages.ts';
import { byId } from './ui.ts';
import { t } from './i18n.ts';
import { markManaged } from './options-managed.ts';

/** Fills the field, disabled and tagged when the organisation sets it; says whether it is editable. */
export function renderDataAgeField(view: SettingsView, isManagedKey: boolean): boolean {
  const input = byId<HTMLInputElement>('data-max-age');
  input.value = String(view.effective.dataMaxAgeMonths);
  markManaged(view, input, document.querySelector('label[for="data-max-age"]'), isManagedKey);
  return !input.disabled;
}

/** Reads the field into `patch`; returns the input when its value is not acceptable. */
export function readDataAgeField(view: SettingsView, patch: SettingsPatch, fieldError: (id: string, text: string | null) => void): HTMLInputElement | null {
  const input = byId<HTMLInputElement>('data-max-age');
  if (input.disabled) return null;
  const n = Number(input.value);
  const good = input.value.trim() !== '' && Number.isInteger(n) && n >= DATA_MAX_AGE_MIN_MONTHS && n <= DATA_MAX_AGE_MAX_MONTHS;
  fieldError('data-max-age-error', good ? null : t('syncIntervalInvalid', [String(DATA_MAX_AGE_MIN_MONTHS), String(DATA_MAX_AGE_MAX_MONTHS)]));
  if (!good) return input;
  if (n !== view.user.dataMaxAgeMonths) patch.dataMaxAgeMonths = n;
  return null;
}
