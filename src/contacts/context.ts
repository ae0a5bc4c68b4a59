import { recordLine } from '../answer/text.js';
import { compact } from '../records/compact.js';

/** A context item: a compact record, beginning with its handle. */
export type Item = Record<string, unknown> & { handle: string };

export interface Section {
  /** JSON key and text title, e.g. `open_deals` / `open deals`. */
  key: string;
  title: string;
  items: Item[];
  /** There are more than shown (before any max_chars trimming); how to fetch them. */
  more: string | null;
}

export { compact };

export function renderBrief(head: Item[], sections: Section[], omitted: number, maxChars: number): string[] {
  const lines = head.map(recordLine);
  for (const section of sections) {
    if (section.items.length === 0 && !section.more) continue;
    const more = section.more ? ` (more: ${section.more})` : '';
    lines.push(`# ${section.title}: ${section.items.length}${more}`);
    lines.push(...section.items.map(recordLine));
  }
  if (omitted > 0) lines.push(`# truncated: ${omitted} items left out to fit max_chars=${maxChars}`);
  return lines;
}

/** Room kept for the lines the renderer adds after the brief (# request_id). */
const RESERVED = 40;

/**
 * Fits the brief into maxChars of text by leaving out items from the end of the least important
 * sections first (the order of `dropOrder`); the head (contact, company) always stays.
 */
export function fitBrief(head: Item[], sections: Section[], dropOrder: string[], maxChars: number) {
  let omitted = 0;
  const size = () => renderBrief(head, sections, omitted, maxChars).join('\n').length + 1 + RESERVED;
  for (const key of dropOrder) {
    const section = sections.find((candidate) => candidate.key === key);
    while (section && section.items.length > 0 && size() > maxChars) {
      section.items.pop();
      omitted += 1;
    }
  }
  return { lines: renderBrief(head, sections, omitted, maxChars), omitted };
}
