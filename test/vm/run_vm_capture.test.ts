import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../cli/main';
import { parse_scenario } from '../../model/scenario';
import { project_root } from '../../vm/project_files';
import { run_vm_capture, vm_timeout_ms, BOOT_BUDGET_MS } from '../../vm/run_vm_capture';

const root = project_root(__dirname);
const smoke_file = path.join(root, 'data/scenarios/vm/vm-smoke.json');
const smoke = () => parse_scenario(JSON.parse(fs.readFileSync(smoke_file, 'utf8')), 'vm', smoke_file);

describe('run_vm_capture without qemu', () => {
  const saved = process.env.PATH;
  afterEach(() => {
    process.env.PATH = saved;
  });

  it('fails with an EnvironmentError that says how to install qemu, and writes nothing', async () => {
    const out = path.join(os.tmpdir(), `tcpmem-vm-noqemu-${process.pid}`);
    process.env.PATH = '/nonexistent';
    const p = run_vm_capture({ scenario: smoke(), scenario_file: smoke_file, out, vm: 'debian-6.1', repeat: 1, force: false });
    await expect(p).rejects.toBeInstanceOf(EnvironmentError);
    await expect(p).rejects.toThrow(/qemu-system-x86_64 not found: install QEMU \(Debian\/Ubuntu: apt-get install qemu-system-x86\)/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it.skipIf(!fs.existsSync(path.join(root, 'dist/cli/main.js')))('makes `tcpmem capture --vm` exit 3', () => {
    const out = path.join(os.tmpdir(), `tcpmem-vm-noqemu-cli-${process.pid}`);
    const r = spawnSync(process.execPath, [path.join(root, 'bin/tcpmem.js'), 'capture', smoke_file, '--vm', 'debian-6.1', '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, PATH: '/nonexistent' },
    });
    expect(r.stderr).toMatch(/qemu-system-x86_64 not found/);
    expect(r.status).toBe(3);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('vm_timeout_ms', () => {
  it('grows with repeats and scenario length on top of the boot budget', () => {
    const s = smoke();
    // vm-smoke: (settle 300 + duration 2000) x 4 (TCG factor) = 9200, + 5 samples (2000/500 + 1) x 6000 = 30000,
    // + 60000 fixed + 4 connections x 50 = 200 → 99400 ms per run.
    expect(vm_timeout_ms(s, 1)).toBe(BOOT_BUDGET_MS + 99_400);
    expect(vm_timeout_ms(s, 3)).toBe(BOOT_BUDGET_MS + 3 * 99_400);
  });
});
