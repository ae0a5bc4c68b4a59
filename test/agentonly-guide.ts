import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** The AgentOnly guide, verbatim (shared/seeds/agentonly-guide.txt): the contract these tests hold us to. */
export const GUIDE = readFileSync(new URL('./fixtures/agentonly-guide.txt', import.meta.url), 'utf8');

/** The guide's sections by heading (`## 02 use` → `02 use`), each with its lines after the heading. */
function sections(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of GUIDE.split('\n')) {
    if (line.startsWith('## ')) {
      current = [line.slice(3)];
      map.set(
        line
          .slice(3)
          .split(' (')[0]!
          .replace(/ [A-Z].*$/, ''),
        current,
      );
    } else current.push(line);
  }
  return map;
}
export const section = (name: string) => {
  const found = [...sections().entries()].find(([heading]) => heading.startsWith(name));
  if (!found) throw new Error(`no section ${name} in the guide`);
  return found[1];
};
/** The lines of a section between a label line (e.g. "Rules:") and the next label or the end. */
export function listAfter(lines: string[], label: string): string[] {
  const start = lines.findIndex((line) => line.startsWith(label));
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^(- |\d+\. )/.test(line)) break;
    out.push(line.replace(/^(- |\d+\. )/, ''));
  }
  expect(out.length, `items after ${label}`).toBeGreaterThan(0);
  return out;
}
