import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { EnvironmentError } from '../cli/main';

/**
 * Runs qemu-system-x86_64 with software emulation (TCG; KVM is not assumed), the kernel and
 * initramfs given, no disks and no network. ttyS0 (console, kernel messages, the runner's
 * stdout) is piped to the host line by line; ttyS1 (results) is written to `transport_file`.
 * Bounded in time: on timeout qemu is killed by its PID.
 */
export interface QemuRun {
  kernel: string;
  initrd: string;
  append: string;
  memory_mib: number;
  cpus: number;
  transport_file: string;
  timeout_ms: number;
  on_console_line?: (line: string) => void;
  /** Called after qemu was killed because this process got SIGINT/SIGTERM (the caller cleans up and exits). */
  on_signal?: (sig: NodeJS.Signals) => void;
}

export interface QemuResult {
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean;
  wall_ms: number;
}

export const QEMU_BINARY = 'qemu-system-x86_64';

export function find_qemu(): string {
  const r = spawnSync('/bin/sh', ['-c', `command -v ${QEMU_BINARY}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  if (r.status !== 0 || p === '') {
    throw new EnvironmentError(`${QEMU_BINARY} not found: install QEMU (Debian/Ubuntu: apt-get install qemu-system-x86) to run --vm captures`);
  }
  return p;
}

export function qemu_args(r: Omit<QemuRun, 'timeout_ms' | 'on_console_line' | 'on_signal'>): string[] {
  return [
    '-accel', 'tcg',
    '-machine', 'q35',
    '-cpu', 'max',
    '-smp', String(r.cpus),
    '-m', String(r.memory_mib),
    '-nodefaults',
    '-no-user-config',
    '-display', 'none',
    '-no-reboot',
    '-kernel', r.kernel,
    '-initrd', r.initrd,
    '-append', r.append,
    '-serial', 'stdio',
    '-serial', `file:${r.transport_file}`,
    '-monitor', 'none',
  ];
}

export function run_qemu(r: QemuRun): Promise<QemuResult> {
  const bin = find_qemu();
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, qemu_args(r), { stdio: ['ignore', 'pipe', 'pipe'] });
    let timed_out = false;
    const timer = setTimeout(() => {
      timed_out = true;
      if (child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }, r.timeout_ms);
    const kill_on_exit = (): void => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    };
    process.once('exit', kill_on_exit);
    // Interrupted (Ctrl-C, kill): stop qemu first, then let the caller's cleanup and exit run.
    const on_signal = (sig: NodeJS.Signals): void => {
      kill_on_exit();
      r.on_signal?.(sig);
    };
    process.once('SIGINT', on_signal);
    process.once('SIGTERM', on_signal);
    const remove_handlers = (): void => {
      process.removeListener('exit', kill_on_exit);
      process.removeListener('SIGINT', on_signal);
      process.removeListener('SIGTERM', on_signal);
    };
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        r.on_console_line?.(line);
      }
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      if (stderr.length < 20_000) stderr += c;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      remove_handlers();
      reject(new EnvironmentError(`cannot start ${bin}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      remove_handlers();
      if (pending.length > 0) r.on_console_line?.(pending);
      if (code !== 0 && code !== null && !timed_out && stderr.trim() !== '') {
        r.on_console_line?.(`[qemu stderr] ${stderr.trim()}`);
      }
      resolve({ exit_code: code, signal, timed_out, wall_ms: Date.now() - t0 });
    });
  });
}

export function file_size(p: string): number {
  return fs.existsSync(p) ? fs.statSync(p).size : 0;
}
