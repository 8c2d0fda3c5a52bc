import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Run } from '../model/run_output';
import { encode_transport_block } from './console_transport';
import { interesting_kernel_lines, progress_line, type GuestJob } from './guest_job';
import { probe_guest } from './guest_probe';
import { netem_commands, parse_ip_link_names } from './netem';
import { normalise_sysctl_value, split_global_sysctls, sysctl_proc_path } from './guest_sysctls';
import type { RunCaptureOptions } from '../capture/run_capture';

/**
 * The runner inside the VM (started by /init as `node guest_main.js <job.json> <tty>`).
 * It runs the same capture code as the host (capture/run_capture.ts, source 'vm', global
 * sysctls allowed) and sends each Run back as a gzip'd JSON transport block on the
 * dedicated serial port. Errors are sent as an "error" block so the host can report them.
 */
type RunCapture = (opts: RunCaptureOptions) => Promise<Run>;

/** Adds the scenario's netem delay once the namespaces exist (before settle and the workload). */
function apply_netem(namespaces: string[], delay_ms: number, notes: string[]): void {
  const devices: Record<string, string[]> = {};
  for (const ns of namespaces) {
    devices[ns] = parse_ip_link_names(execFileSync('ip', ['-n', ns, '-o', 'link'], { encoding: 'utf8' }));
  }
  for (const cmd of netem_commands(namespaces, devices, delay_ms)) {
    execFileSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    notes.push(`netem: ${cmd.join(' ')} (applied after the connections were established, before settle: handshake RTTs exclude it)`);
  }
}

/** Sets global sysctls in the guest's initial namespace; returns a function restoring the old values. */
function set_global_sysctls(globals: Array<[string, string]>): { applied: Record<string, string>; restore: () => void } {
  const old: Array<[string, string]> = [];
  const applied: Record<string, string> = {};
  for (const [k, v] of globals) {
    const p = sysctl_proc_path(k);
    old.push([p, fs.readFileSync(p, 'utf8')]);
    fs.writeFileSync(p, v);
    applied[k] = normalise_sysctl_value(fs.readFileSync(p, 'utf8'));
    if (applied[k] !== normalise_sysctl_value(v)) throw new Error(`${k}: wrote "${v}", the kernel kept "${applied[k]}"`);
  }
  return {
    applied,
    restore: () => {
      for (const [p, v] of old.reverse()) fs.writeFileSync(p, v);
    },
  };
}

function kernel_log(): string[] {
  const r = spawnSync('dmesg', [], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n').filter((l) => l.length > 0) : [];
}

export async function guest_main(job_path: string, tty: string): Promise<void> {
  const fd = fs.openSync(tty, 'w');
  const send = (kind: string, value: unknown): void => {
    const text = encode_transport_block(kind, gzipSync(JSON.stringify(value)));
    fs.writeSync(fd, text);
  };
  try {
    const job = JSON.parse(fs.readFileSync(job_path, 'utf8')) as GuestJob;
    if (job.mode === 'probe') {
      send('probe', probe_guest());
    } else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(__dirname, '..', 'capture', 'run_capture.js')) as { run_capture: RunCapture };
      for (let i = 0; i < job.repeat; i++) {
        const log_before = kernel_log().length;
        let last = 0;
        const netem_notes: string[] = [];
        const delay_ms = job.scenario.kernel.netem_delay_ms;
        const split = split_global_sysctls(job.scenario);
        const globals = set_global_sysctls(split.globals);
        let run: Run;
        try {
          run = await mod.run_capture({
            scenario: split.scenario,
            scenario_file: job.scenario_file,
            repeat_index: i,
            source: 'vm',
            allow_global_sysctls: true,
            on_setup: delay_ms > 0 ? (info) => apply_netem(info.namespaces, delay_ms, netem_notes) : undefined,
            on_progress: (done, total) => {
              const now = Date.now();
              if (now - last >= 1000 || done >= total) {
                last = now;
                process.stdout.write(progress_line(i, done, total) + '\n');
              }
            },
          });
        } finally {
          globals.restore();
        }
        run.meta.scenario = job.scenario;
        for (const [k, v] of Object.entries(globals.applied)) {
          run.meta.sysctls[k] = v;
          run.meta.notes.push(`${k} = ${v}: global sysctl set by the VM guest in its initial network namespace (not visible inside a netns on 6.1), restored afterwards`);
        }
        const fresh = kernel_log().slice(log_before);
        run.meta.source = 'vm';
        run.meta.profile_id = run.meta.profile_id ?? job.profile_id;
        run.meta.notes.push(...netem_notes);
        if (delay_ms > 0 && netem_notes.length === 0) throw new Error(`kernel.netem_delay_ms ${delay_ms}: the capture never reported its namespaces, so no delay was added`);
        for (const l of interesting_kernel_lines(fresh)) run.meta.notes.push(`dmesg: ${l}`);
        send('run', run);
        process.stdout.write(`tcpmem-guest: repeat ${i} sent (${run.sockets.length} socket rows, ${run.global.length} global rows)\n`);
      }
    }
  } catch (err) {
    const e = err as Error & { name?: string };
    process.stdout.write(`tcpmem-guest: error: ${e.stack ?? String(err)}\n`);
    send('error', { name: e.name ?? 'Error', message: e.message ?? String(err), stack: e.stack ?? null });
  } finally {
    fs.closeSync(fd);
  }
}

if (require.main === module) {
  const [job_path, tty] = process.argv.slice(2);
  guest_main(job_path, tty ?? '/dev/ttyS1').then(
    () => process.exit(0),
    (err: unknown) => {
      process.stdout.write(`tcpmem-guest: fatal: ${String(err)}\n`);
      process.exit(1);
    },
  );
}
