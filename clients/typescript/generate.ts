// Regenerates src/schema.ts from the API's OpenAPI document:
//   npx tsx clients/typescript/generate.ts            (from the code of this checkout)
//   npx tsx clients/typescript/generate.ts <url>      (from a running server's /openapi.json)
// test/client.test.ts fails when the committed file is not what this writes.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

const HEADER =
  '// Generated from /openapi.json by clients/typescript/generate.ts (openapi-typescript). Do not edit:\n' +
  '// change the operations, then run `npx tsx clients/typescript/generate.ts`.\n\n';

/** A custom field's value: recursive, so TypeScript needs it as a named alias, not an indexed member. */
const JSON_VALUE =
  'export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };\n\n';

/** The TypeScript types of a document's paths, operations and components. */
export async function schemaSource(document: unknown): Promise<string> {
  const ast = await openapiTS(document as OpenAPI3, { alphabetize: true });
  const source = astToString(ast).replace(
    /JsonValue: string \| number \| boolean \| null \| components\["schemas"\]\["JsonValue"\]\[\] \| \{\s*\[key: string\]: components\["schemas"\]\["JsonValue"\];\s*\};/,
    'JsonValue: JsonValue;',
  );
  return HEADER + JSON_VALUE + source;
}

/** The document this checkout serves, built from its registry without starting a server. */
export async function localDocument(): Promise<unknown> {
  const { registerKinds } = await import('../../src/kinds.js');
  const { operations } = await import('../../src/operations/registry.js');
  const { openApiDocument } = await import('../../src/http/openapi.js');
  registerKinds();
  const services = { config: { publicUrl: 'http://localhost:3000' } };
  return openApiDocument(services as Parameters<typeof openApiDocument>[0], operations);
}

const target = path.join(path.dirname(fileURLToPath(import.meta.url)), 'src', 'schema.ts');
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const url = process.argv[2];
  const document = url ? await (await fetch(new URL('/openapi.json', url))).json() : await localDocument();
  writeFileSync(target, await schemaSource(document));
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
