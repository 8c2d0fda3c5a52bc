import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// These run the built CLI (bin/tcpmem.js → dist/); `npm test` builds first.
const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'tcpmem.js');
const built = fs.existsSync(path.join(root, 'dist', 'cli', 'commands', 'capture.js'));

function tcpmem(args: string[], opts: { as_nobody?: boolean } = {}) {
  const cmd = opts.as_nobody ? 'setpriv' : process.execPath;
  const full = opts.as_nobody ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, ...args] : [bin, ...args];
  return spawnSync(cmd, full, { encoding: 'utf8', timeout: 60_000 });
}

function tmp_scenario(value: unknown): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-cli-'));
  fs.chmodSync(d, 0o755);
  const f = path.join(d, 'scenario.json');
  fs.writeFileSync(f, JSON.stringify(value));
  fs.chmodSync(f, 0o644);
  return f;
}

const good = {
  format: 'tcpmem-scenario/1',
  name: 'cli-check',
  kernel: {},
  groups: [{ name: 'g', count: 2, writer: { program: { kind: 'none' } }, reader: { kind: 'never' } }],
  sampling: { interval_ms: 100, duration_ms: 200 },
};

describe.skipIf(!built)('tcpmem capture (CLI)', () => {
  it('exits 2 and names the fields of an invalid scenario', () => {
    const f = tmp_scenario({ ...good, groups: [{ ...good.groups[0], count: 30_000, colour: 'red' }] });
    const r = tcpmem(['capture', f, '--out', path.join(os.tmpdir(), 'never-written')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/groups\[0\]/);
    expect(r.stderr).toMatch(/colour/);
  });

  it('exits 2 for a --repeat out of range, naming the allowed values', () => {
    const f = tmp_scenario(good);
    const r = tcpmem(['capture', f, '--out', '/tmp/x', '--repeat', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/allowed: 1 to 20/);
  });

  it('exits 2 when the scenario file does not exist', () => {
    const r = tcpmem(['capture', '/nonexistent/s.json', '--out', '/tmp/x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no such scenario file/);
  });

  it('refuses to replace an existing run directory without --force', () => {
    const f = tmp_scenario(good);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-out-'));
    const r = tcpmem(['capture', f, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/already exists; pass --force/);
    fs.rmSync(out, { recursive: true });
  });

  const can_setpriv = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
  it.skipIf(!can_setpriv)('exits 3 without root, saying root is needed', () => {
    const f = tmp_scenario(good);
    const r = tcpmem(['capture', f, '--out', path.join(os.tmpdir(), `never-${process.pid}`)], { as_nobody: true });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/needs root/);
  });
});
