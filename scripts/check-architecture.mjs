#!/usr/bin/env node
// The architecture check (DESIGN.md, "Shape"): reads the import graph of src/ (tests excluded, type
// imports counted) and fails on
//   - an import cycle of more than MAX_CYCLE files,
//   - an import from a transport (http, mcp, human, oauth, discovery) into the store or Kysely,
//   - an import from anything below the transports into a transport.
// The composition roots (app.ts, server.ts, cli/) wire transports together and may import them.
//
// Until the one-executor work lands, today's violations are recorded in
// scripts/architecture-baseline.json and the check is a ratchet: it fails on anything new or
// larger, and on a baseline entry that no longer occurs (so the baseline only shrinks).
// `node scripts/check-architecture.mjs --write-baseline` rewrites it; `--report` prints everything.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const baselinePath = join(root, 'scripts', 'architecture-baseline.json');
const MAX_CYCLE = 3;
const TRANSPORTS = ['http', 'mcp', 'human', 'oauth', 'discovery'];
const ROOTS = [/^app\.ts$/, /^server\.ts$/, /^cli\//];

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveImport(from, specifier, known) {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier).replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (known.has(candidate)) return candidate;
  }
  return null;
}

const area = (file) => file.split('/')[0];
const isTransport = (file) => TRANSPORTS.includes(area(file));
const isRoot = (file) => ROOTS.some((pattern) => pattern.test(file));
const isStore = (file) => area(file) === 'store';

/** The import graph: file (relative to src/) → files and packages it imports. */
function readGraph() {
  const files = sourceFiles(src);
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const edges = new Set();
    const packages = new Set();
    for (const { fileName } of info.importedFiles) {
      const target = resolveImport(file, fileName, known);
      if (target) edges.add(relative(src, target));
      else if (!fileName.startsWith('.')) packages.add(fileName);
    }
    graph.set(relative(src, file), { edges: [...edges], packages: [...packages] });
  }
  return graph;
}

/** Strongly connected components (Tarjan), each a sorted list of files; only real cycles. */
function cycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node).edges) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => b.length - a.length);
}

function forbiddenImports(graph) {
  const found = [];
  for (const [file, { edges, packages }] of graph) {
    if (isRoot(file)) continue;
    if (isTransport(file)) {
      for (const target of edges) if (isStore(target)) found.push(`${file} -> ${target}`);
      for (const name of packages)
        if (name === 'kysely' || name.startsWith('kysely/')) found.push(`${file} -> ${name}`);
    } else {
      for (const target of edges) if (isTransport(target)) found.push(`${file} -> ${target}`);
    }
  }
  return found.sort();
}

const graph = readGraph();
const components = cycles(graph);
const largest = components[0]?.length ?? 0;
const forbidden = forbiddenImports(graph);
const args = new Set(process.argv.slice(2));

if (args.has('--write-baseline')) {
  writeFileSync(baselinePath, `${JSON.stringify({ largest_cycle: largest, forbidden }, null, 2)}\n`);
  console.log(`baseline written: largest cycle ${largest} files, ${forbidden.length} forbidden imports`);
  process.exit(0);
}

const baseline = JSON.parse(readFileSync(baselinePath, 'utf8'));
const allowedCycle = Math.max(MAX_CYCLE, baseline.largest_cycle);
const allowedForbidden = new Set(baseline.forbidden);
const problems = [];
for (const component of components) {
  if (component.length > allowedCycle) {
    problems.push(
      `import cycle of ${component.length} files (allowed ${allowedCycle}): ${component.join(', ')}`,
    );
  }
}
for (const edge of forbidden) {
  if (!allowedForbidden.has(edge)) problems.push(`forbidden import: ${edge}`);
}
const gone = baseline.forbidden.filter((edge) => !forbidden.includes(edge));
if (gone.length > 0 || largest < baseline.largest_cycle) {
  problems.push(
    `the baseline is larger than today's code (${gone.length} forbidden imports gone, largest cycle ${largest} < ${baseline.largest_cycle}): ` +
      'run `node scripts/check-architecture.mjs --write-baseline` and commit it, so it only shrinks',
  );
}

console.log(
  `architecture: ${graph.size} files, largest import cycle ${largest} files (limit ${MAX_CYCLE}, baseline ${baseline.largest_cycle}), ` +
    `${forbidden.length} forbidden imports (baseline ${baseline.forbidden.length})`,
);
if (args.has('--report')) {
  for (const component of components) console.log(`cycle (${component.length}): ${component.join(' ')}`);
  for (const edge of forbidden) console.log(`forbidden: ${edge}`);
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`error: ${problem}`);
  process.exit(1);
}
