import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main';
import { write_run_dir } from '../../../io/run_dir';
import { socket_row, synthetic_run, synthetic_scenario } from '../../model/compare/synthetic_run';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-validate-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('tcpmem validate', () => {
  it('exits 2 naming a capture directory that does not exist', async () => {
    expect(await main(['node', 'tcpmem', 'validate', path.join(tmp, 'missing')])).toBe(2);
    expect(stderr).toContain('missing: no such capture directory');
  });

  it('exits 2 when no directory holds a capture', async () => {
    fs.mkdirSync(path.join(tmp, 'empty'));
    expect(await main(['node', 'tcpmem', 'validate', path.join(tmp, 'empty')])).toBe(2);
    expect(stderr).toContain('no capture found');
  });

  it('exits 2 for a capture from a kernel without a profile and says how to derive one', async () => {
    const sc = synthetic_scenario();
    write_run_dir(path.join(tmp, 'odd', 'r0'), synthetic_run(sc, [socket_row({ t_ms: 0, side: 'server', r_bytes: 0 })], [], { kernel_release: '5.4.0-odd' }));
    expect(await main(['node', 'tcpmem', 'validate', path.join(tmp, 'odd')])).toBe(2);
    expect(stderr).toMatch(/captured on kernel 5\.4\.0-odd, which no profile describes .*`tcpmem profile --from-host`/);
  });

  it('requires at least one capture directory', async () => {
    expect(await main(['node', 'tcpmem', 'validate'])).toBe(2);
    expect(stderr).toContain("missing required argument 'capture-dir'");
  });
});
