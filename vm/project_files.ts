import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../cli/main';

/**
 * The project's built JavaScript the guest runner needs: every .js/.json under the dist/
 * folders it can reach (model, io, capture, vm), plus the node_modules files Node actually
 * loads when requiring the runner (found by asking Node itself: require.cache after
 * loading), with the package.json files that resolution needs.
 */
export function project_root(from: string = __dirname): string {
  let d = path.resolve(from);
  for (;;) {
    const pj = path.join(d, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if ((JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === 'tcpmem') return d;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(d);
    if (up === d) throw new EnvironmentError(`cannot find the tcpmem project root above ${from}`);
    d = up;
  }
}

export const GUEST_DIST_DIRS = ['model', 'io', 'capture', 'vm', 'cli'];
export const GUEST_MAIN_REL = 'dist/vm/guest_main.js';
export const RUN_CAPTURE_REL = 'dist/capture/run_capture.js';

function walk(dir: string, out: string[]): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && /\.(js|json|node)$/.test(e.name)) out.push(p);
  }
}

/** Absolute host paths of the files to copy (relative layout under the root is kept). */
export function guest_app_files(root: string): string[] {
  const guest_main = path.join(root, GUEST_MAIN_REL);
  if (!fs.existsSync(guest_main)) {
    throw new EnvironmentError(`${GUEST_MAIN_REL} is missing: build first (npx tsc -p tsconfig.build.json)`);
  }
  const files = new Set<string>();
  const dist: string[] = [];
  for (const d of GUEST_DIST_DIRS) walk(path.join(root, 'dist', d), dist);
  for (const f of dist) files.add(f);
  files.add(path.join(root, 'package.json'));
  // Packages any of those files requires (e.g. the workload runner, a separate script, loads koffi).
  const bare = new Set<string>();
  for (const f of dist) {
    if (!f.endsWith('.js')) continue;
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) {
      if (!m[1].startsWith('node:')) bare.add(m[1]);
    }
  }
  const script = `
    const load = (p) => { try { require(p); } catch (e) { if (e && e.code !== 'MODULE_NOT_FOUND') throw e; } };
    require(${JSON.stringify(guest_main)});
    require(${JSON.stringify(path.join(root, RUN_CAPTURE_REL))});
    for (const b of ${JSON.stringify([...bare].sort())}) load(b);
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  let traced: string[];
  try {
    traced = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] })) as string[];
  } catch (err) {
    const msg = String((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n').slice(0, 6).join('\n  ');
    throw new EnvironmentError(`cannot load the guest runner from dist/ (is a build running, or did it fail? npx tsc -p tsconfig.build.json):\n  ${msg}`);
  }
  const packages = new Set<string>();
  for (const f of traced) {
    if (!f.startsWith(root + path.sep)) continue;
    files.add(f);
    const m = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(f);
    if (m) packages.add(m[1]);
  }
  for (const pkg of packages) {
    const all: string[] = [];
    walk(pkg, all);
    for (const f of all) if (path.basename(f) === 'package.json') files.add(f);
  }
  return [...files].sort();
}
