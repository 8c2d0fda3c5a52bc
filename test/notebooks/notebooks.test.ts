import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Executes every notebook end to end through Jupyter with the project's tslab kernel
 * (scripts/run-notebooks.sh --output-dir, i.e. on copies: the committed notebooks are not touched)
 * and fails on any cell error. Skipped, with the reason printed, when Jupyter or the kernel is missing.
 */

const repo = resolve(__dirname, '../..');
const notebooks_dir = join(repo, 'notebooks');
const script = join(repo, 'scripts/run-notebooks.sh');
const notebooks = readdirSync(notebooks_dir).filter((f) => /^\d.*\.ipynb$/.test(f)).sort();

interface NotebookOutput {
  output_type: string;
  name?: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string[] | string;
  execution_count?: number | null;
  outputs?: NotebookOutput[];
}
interface Notebook {
  cells: NotebookCell[];
  metadata: { kernelspec?: { name?: string } };
}

function read_notebook(path: string): Notebook {
  return JSON.parse(readFileSync(path, 'utf8')) as Notebook;
}

function source_of(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Why the notebooks cannot run here, or null when Jupyter and the tslab kernel are available. */
function missing_jupyter(): string | null {
  const candidates = [process.env.TCPMEM_JUPYTER_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean) as string[];
  const has_jupyter = candidates.some(
    (py) => spawnSync(py, ['-c', 'import nbconvert, nbclient, jupyter_client, ipykernel'], { stdio: 'ignore' }).status === 0,
  );
  if (!has_jupyter) return 'Jupyter (nbconvert, nbclient) is not installed: run scripts/setup-jupyter.sh';
  if (!existsSync(join(repo, 'node_modules/tslab/bin/tslab'))) return 'node_modules/tslab is missing: run npm ci';
  if (!existsSync(join(notebooks_dir, '.jupyter-kernels/kernels/tslab/kernel.json'))) return 'the tslab kernel spec is missing';
  return null;
}

const skip_reason = missing_jupyter();
if (skip_reason) console.warn(`notebook tests skipped: ${skip_reason}`);

describe('the committed notebooks', () => {
  it('exist: six numbered notebooks', () => {
    expect(notebooks.length).toBe(6);
  });

  it.each(notebooks)('%s is saved with its outputs, every code cell executed, and uses the tslab kernel', (name) => {
    const nb = read_notebook(join(notebooks_dir, name));
    expect(nb.metadata.kernelspec?.name).toBe('tslab');
    const code = nb.cells.filter((c) => c.cell_type === 'code' && source_of(c).trim() !== '');
    expect(code.length).toBeGreaterThan(0);
    for (const c of code) expect(c.execution_count, source_of(c).slice(0, 80)).toBeGreaterThan(0);
    const errors = code.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'));
    expect(errors).toEqual([]);
    const svgs = code.flatMap((c) => c.outputs ?? []).filter((o) => o.data && 'image/svg+xml' in o.data);
    expect(svgs.length, 'charts saved as SVG').toBeGreaterThan(0);
  });
});

describe.skipIf(skip_reason !== null)('executing the notebooks through Jupyter with the tslab kernel', () => {
  let out_dir = '';
  beforeAll(() => {
    out_dir = mkdtempSync(join(tmpdir(), 'tcpmem-notebooks-'));
    if (!existsSync(join(repo, 'dist/notebooks/lib/index.js'))) {
      spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'ignore' });
    }
  });
  afterAll(() => {
    if (out_dir) rmSync(out_dir, { recursive: true, force: true });
  });

  it.each(notebooks)(
    '%s runs top to bottom without a cell error and draws its charts',
    (name) => {
      const r = spawnSync('bash', [script, '--no-build', `--output-dir=${out_dir}`, join(notebooks_dir, name)], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, TCPMEM_CELL_TIMEOUT_S: '120' },
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      const nb = read_notebook(join(out_dir, name));
      const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
      // tslab reports TypeScript compile errors on stderr, runtime errors as error outputs.
      expect(outputs.filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'))).toEqual([]);
      for (const c of nb.cells.filter((c) => c.cell_type === 'code')) expect(c.execution_count).toBeGreaterThan(0);
      const svgs = outputs.filter((o) => o.data && 'image/svg+xml' in o.data);
      expect(svgs.length).toBeGreaterThan(0);
      for (const o of svgs) expect(String(o.data!['image/svg+xml'])).toMatch(/^<svg/);
    },
    300_000,
  );
});

describe('scripts/run-notebooks.sh', () => {
  it('rejects an unknown option with exit 2, naming the allowed options', () => {
    const r = spawnSync('bash', [script, '--bogus'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus' (allowed: --check, --output-dir=DIR, --no-build, --help)");
  });

  it('rejects a file that is not a notebook with exit 2', () => {
    const r = spawnSync('bash', [script, '--no-build', join(repo, 'package.json')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a notebook file');
  });
});
