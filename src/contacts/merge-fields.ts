import type { ContactsTable } from '../store/schema.js';

/** A warning of the merge's answer (the shape of operations' Warning). */
interface MergeWarning {
  code: string;
  message: string;
}

/** The fields a survivor takes from the merged contacts when its own are empty. */
const FILLED = [
  'name',
  'email',
  'phone',
  'title',
  'stage',
  'company_id',
  'follow_up_at',
  'follow_up_note',
] as const;
const MAX_TAGS = 50;
const MAX_CUSTOM_KEYS = 100;
const MAX_CUSTOM_JSON = 32_768;

/**
 * The survivor's column changes: empty fields filled, tags united, custom keys added. Shared by the
 * merge and its policy rule; the caller says which companies are live, so this file needs no store
 * (and stays out of the operations' import graph).
 */
export async function survivorChanges(
  isLiveCompany: (id: string) => Promise<boolean>,
  survivor: ContactsTable,
  merged: ContactsTable[],
  warnings: MergeWarning[],
): Promise<Partial<ContactsTable>> {
  const set: Record<string, unknown> = {};
  for (const field of FILLED) {
    if (survivor[field] !== null) continue;
    for (const other of merged) {
      const value = other[field];
      if (value === null) continue;
      // A company reference must point at a live company.
      if (field === 'company_id' && !(await isLiveCompany(value as string))) continue;
      set[field] = value;
      break;
    }
  }
  const tags = [...new Set([survivor, ...merged].flatMap((row) => JSON.parse(row.tags) as string[]))];
  if (tags.length > MAX_TAGS) {
    warnings.push({ code: 'tags_dropped', message: `kept the first ${MAX_TAGS} of ${tags.length} tags` });
    tags.length = MAX_TAGS;
  }
  if (JSON.stringify(tags) !== survivor.tags) set.tags = JSON.stringify(tags);

  const custom = JSON.parse(survivor.custom) as Record<string, unknown>;
  const dropped: string[] = [];
  for (const other of merged) {
    for (const [key, value] of Object.entries(JSON.parse(other.custom) as Record<string, unknown>)) {
      if (Object.hasOwn(custom, key)) continue;
      custom[key] = value;
      if (Object.keys(custom).length > MAX_CUSTOM_KEYS || JSON.stringify(custom).length > MAX_CUSTOM_JSON) {
        delete custom[key];
        dropped.push(key);
      }
    }
  }
  if (dropped.length) {
    warnings.push({
      code: 'custom_dropped',
      message: `custom keys over the limits were not merged: ${dropped.slice(0, 20).join(', ')}`,
    });
  }
  if (JSON.stringify(custom) !== survivor.custom) set.custom = JSON.stringify(custom);
  return set as Partial<ContactsTable>;
}
