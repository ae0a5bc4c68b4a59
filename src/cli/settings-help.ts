import type { z } from 'zod';
import { settingSchemas } from '../config.js';

/** The default a setting's schema fills in, when it is a plain value worth printing. */
function defaultOf(type: z.ZodType): string | undefined {
  const def = type._zod.def as { type: string; defaultValue?: unknown; in?: z.ZodType };
  if (def.type === 'default') {
    const value = def.defaultValue;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }
  if (def.type === 'pipe' && def.in) return defaultOf(def.in);
  return undefined;
}

/**
 * The environment variables `serve` reads, from the configuration schema itself, so the list
 * cannot fall behind it. Meanings are in the README's configuration table.
 */
export function settingsHelp(): string {
  const names = Object.keys(settingSchemas);
  const width = Math.max(...names.map((name) => name.length));
  const lines = names.map((name) => {
    const fallback = defaultOf(settingSchemas[name]!);
    return `  ${name.padEnd(width)}  ${fallback === undefined ? '(unset)' : `default ${fallback}`}`;
  });
  return `\nEnvironment variables (the README's configuration table says what each one does):\n${lines.join('\n')}\n`;
}
