/**
 * No module imports itself through others (issue 16 item 7): shared types and constants live in modules both
 * sides use (cli/io.ts, cli/check/types.ts, console/src/views/entra.ts). A cycle makes load order matter and
 * splits one job across files, so this test fails on the first new one, naming its files.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DIRS = ['cli', 'console/src', 'lambdas', 'local', 'lib', 'bin'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports (type-only ones too: they are the same coupling), resolved to files. */
function importsOf(file: string): string[] {
  const out: string[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
    const base = normalize(join(dirname(file), m[1]!));
    const hit = [`${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c));
    if (hit) out.push(hit);
  }
  return out;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const files = [...graph.keys()];
  const found: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (f: string) => {
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      const at = stack.indexOf(next);
      if (at >= 0) found.push(stack.slice(at).map((p) => relative(ROOT, p)));
      else if (!done.has(next)) visit(next);
    }
    stack.pop();
    done.add(f);
  };
  for (const f of files) if (!done.has(f)) visit(f);
  return found;
}

describe('module structure', () => {
  it('has no import cycles', () => {
    const files = DIRS.flatMap((d) => tsFiles(join(ROOT, d)));
    expect(cycles(new Map(files.map((f) => [f, importsOf(f)])))).toEqual([]);
  });

  it('(the detector sees real imports, and finds a cycle when there is one)', () => {
    expect(importsOf(join(ROOT, 'cli', 'main.ts'))).toContain(join(ROOT, 'cli', 'io.ts'));
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(ROOT, `${n}.ts`)) as [string, string, string];
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, [a]]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, []]]))).toEqual([]);
  });
});
