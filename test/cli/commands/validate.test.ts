import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { write_run_dir } from '../../../io/run_dir';
import { socket_row, synthetic_run, synthetic_scenario } from '../../model/compare/synthetic_run';

/**
 * The built command (`npm test` builds first): exit codes and messages of `tcpmem validate`
 * for bad input. Runs bin/tcpmem.js in a child process, as a user would.
 */
const root = path.join(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'tcpmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-validate-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tcpmem(...args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('tcpmem validate (built command)', () => {
  it('exits 2 naming a capture directory that does not exist', () => {
    const r = tcpmem('validate', path.join(tmp, 'missing'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing: no such capture directory');
  });

  it('exits 2 when no directory holds a capture', () => {
    fs.mkdirSync(path.join(tmp, 'empty'));
    const r = tcpmem('validate', path.join(tmp, 'empty'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no capture found');
  });

  it('exits 2 for a capture from a kernel without a profile and says how to derive one', () => {
    const sc = synthetic_scenario();
    write_run_dir(path.join(tmp, 'odd', 'r0'), synthetic_run(sc, [socket_row({ t_ms: 0, side: 'server', r_bytes: 0 })], [], { kernel_release: '5.4.0-odd' }));
    const r = tcpmem('validate', path.join(tmp, 'odd'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/captured on kernel 5\.4\.0-odd, which no profile describes .*`tcpmem profile --from-host`/);
  });

  it('exits 2 without a capture directory', () => {
    const r = tcpmem('validate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing required argument 'capture-dir'");
  });
});

describe('tcpmem validate output through a pipe', () => {
  const captures = path.join(root, 'data', 'captures');
  const dirs = fs.existsSync(captures) ? fs.readdirSync(captures).sort().map((d) => path.join('data', 'captures', d)) : [];
  it.skipIf(dirs.length === 0)('prints the whole table, not the first 64 KiB, before the process exits', () => {
    const r = spawnSync(process.execPath, [bin, 'validate', ...dirs], { cwd: root, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
    expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/^validate: \d+ capture\(s\), /);
  }, 150_000);
});
