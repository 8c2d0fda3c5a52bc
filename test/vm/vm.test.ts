import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read_run_dir } from '../../io/run_dir';
import { parse_scenario } from '../../model/scenario';
import { vm_cache_dir } from '../../vm/cache_dir';
import { project_root } from '../../vm/project_files';
import { run_vm_capture } from '../../vm/run_vm_capture';
import { vm_kinds } from '../../vm/vm_kinds';

/**
 * End to end: boot Debian's 6.1 kernel under qemu (TCG), run data/scenarios/vm/vm-smoke.json
 * with the capture code inside the guest, read the run directory back. Skipped, with the
 * reason printed, where qemu or the kernel package cannot be had, or dist/ is not built.
 */
const kind = vm_kinds['debian-6.1'];
const root = project_root(__dirname);

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function skip_reason(): string | null {
  if (!have('qemu-system-x86_64')) return 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)';
  const cached = fs.existsSync(path.join(vm_cache_dir(), kind.name, 'pkg', `${kind.kernel_package}_${kind.kernel_package_version}`, '.complete'));
  if (!cached) {
    if (!have('apt-get') || !have('dpkg-deb')) return `${kind.kernel_package} is not cached and apt-get/dpkg-deb are missing`;
    const r = spawnSync('apt-cache', ['show', kind.kernel_package], { stdio: 'ignore', timeout: 60_000 });
    if (r.status !== 0) return `${kind.kernel_package} is not cached and apt does not know it (apt-get update?)`;
  }
  for (const f of ['dist/vm/guest_main.js', 'dist/capture/run_capture.js']) {
    if (!fs.existsSync(path.join(root, f))) return `${f} is missing: build first (npx tsc -p tsconfig.build.json)`;
  }
  return null;
}

const reason = skip_reason();
if (reason) process.stdout.write(`test/vm/vm.test.ts: skipping the VM end-to-end test: ${reason}\n`);

describe('a VM capture on Debian 6.1', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-vm-test-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it.skipIf(reason !== null)(
    'boots the kernel, runs the smoke scenario inside it and returns an ordinary run directory',
    async () => {
      const file = path.join(root, 'data/scenarios/vm/vm-smoke.json');
      const scenario = parse_scenario(JSON.parse(fs.readFileSync(file, 'utf8')), 'vm', file);
      const dir = path.join(out, 'vm-smoke');
      const progress: number[] = [];
      await run_vm_capture({ scenario, scenario_file: file, out: dir, vm: 'debian-6.1', repeat: 1, force: false, on_progress: (d) => progress.push(d) });
      const run = read_run_dir(dir);
      expect(run.meta.source).toBe('vm');
      expect(run.meta.kernel_release.startsWith('6.1')).toBe(true);
      expect(run.meta.kernel_release).toBe(kind.kernel_release);
      expect(progress.length).toBeGreaterThan(0);

      const last_t = Math.max(...run.sockets.map((s) => s.t_ms));
      const servers = run.sockets.filter((s) => s.t_ms === last_t && s.side === 'server');
      expect(servers).toHaveLength(4);
      for (const s of servers) {
        // The reader never reads: all 10 x 1000 bytes are queued.
        expect(s.recv_q_bytes).toBe(10_000);
        // Hand derivation, 6.1 (MAX_TCP_HEADER 320): each queued lo skb costs a kmalloc-1k head of
        // truesize 1280 plus its payload in page frags; quick-ACKed segments coalesce into the
        // tail at payload cost, one that finds the tail still cloned starts a new skb.
        // So r = 10000 + k x 1280 with k >= 1 (k = 1: r = 11280, the usual case); on the 6.18 reference
        // host the heads would cost 832 each instead.
        const heads = ((s.r_bytes ?? 0) - 10_000) / 1280;
        expect(Number.isInteger(heads), `r ${s.r_bytes}`).toBe(true);
        expect(heads).toBeGreaterThanOrEqual(1);
        // charged pages = (r + w + f) / 4096, a whole number.
        expect(((s.r_bytes ?? 0) + (s.w_bytes ?? 0) + (s.f_bytes ?? 0)) % 4096).toBe(0);
      }
      expect(run.meta.notes.some((n) => n.includes('QEMU guest'))).toBe(true);
    },
    600_000,
  );

  it('refuses an unknown VM name, naming the allowed ones', async () => {
    const file = path.join(root, 'data/scenarios/vm/vm-smoke.json');
    const scenario = parse_scenario(JSON.parse(fs.readFileSync(file, 'utf8')), 'vm', file);
    await expect(
      run_vm_capture({ scenario, scenario_file: file, out: path.join(out, 'x'), vm: 'debian-5.10', repeat: 1, force: false }),
    ).rejects.toThrow(/--vm debian-5.10: unknown virtual machine; allowed: debian-6.1/);
    expect(fs.existsSync(path.join(out, 'x'))).toBe(false);
  });
});
