import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunnerCommand, RunnerConfig, RunnerReport } from './runner/protocol';

/** Where the compiled runner is: next to this file in dist/, or dist/ when running from the .ts sources. */
export function runner_script(): string {
  const here = __filename.endsWith('.js')
    ? path.join(__dirname, 'runner', 'main.js')
    : path.join(__dirname, '..', 'dist', 'capture', 'runner', 'main.js');
  return here;
}

type Waiter = { type: RunnerReport['type']; id?: number; resolve: (r: RunnerReport) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/**
 * One workload runner process, started as `[sh -c 'echo $$ > cgroup.procs; exec …'] ip netns exec <ns> node runner.js`
 * so it runs inside the namespace (and inside the memory cgroup, before it opens any socket).
 * `sh -c exec` and `ip netns exec` replace themselves, so the child's pid is the runner's pid
 * (checked against the runner's hello).
 */
export class RunnerProcess {
  readonly child: ChildProcess;
  readonly pids = new Set<number>();
  private buf = '';
  private stderr = '';
  private readonly reports: RunnerReport[] = [];
  private readonly waiters: Waiter[] = [];
  private exited: string | null = null;

  constructor(readonly name: string, ns: string, config: RunnerConfig, cgroup_procs: string | null) {
    const script = runner_script();
    if (!fs.existsSync(script)) throw new Error(`runner not built: ${script} is missing (run \`npx tsc -p tsconfig.build.json\`)`);
    const node = [process.execPath, script, JSON.stringify(config)];
    // The cgroup is joined before `ip netns exec`, which remounts /sys (no cgroup fs inside).
    const ip_args = ['ip', 'netns', 'exec', ns, ...node];
    const [cmd, ...args] = cgroup_procs === null
      ? ip_args
      : ['sh', '-c', 'echo $$ > "$1" && shift && exec "$@"', 'sh', cgroup_procs, ...ip_args];
    this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    if (this.child.pid !== undefined) this.pids.add(this.child.pid);
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (d: string) => this.on_data(d));
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => {
      if (this.stderr.length < 8000) this.stderr += d;
    });
    this.child.stdin!.on('error', () => undefined);
    this.child.on('exit', (code, signal) => {
      this.exited = `runner ${this.name} exited (${signal ?? `code ${code}`})${this.stderr ? `: ${this.stderr.trim()}` : ''}`;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error(this.exited));
      }
    });
  }

  private on_data(d: string): void {
    this.buf += d;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 1);
      if (line.trim() === '') continue;
      let r: RunnerReport;
      try {
        r = JSON.parse(line) as RunnerReport;
      } catch {
        this.stderr += `unparsable report: ${line}\n`;
        continue;
      }
      if (r.type === 'hello') this.pids.add(r.pid);
      if (r.type === 'error') {
        this.exited = `runner ${this.name} failed: ${r.message}`;
        for (const w of this.waiters.splice(0)) {
          clearTimeout(w.timer);
          w.reject(new Error(this.exited));
        }
        continue;
      }
      const wi = this.waiters.findIndex((w) => w.type === r.type && (w.id === undefined || (r.type === 'snap' && r.id === w.id)));
      if (wi >= 0) {
        const [w] = this.waiters.splice(wi, 1);
        clearTimeout(w.timer);
        w.resolve(r);
      } else {
        this.reports.push(r);
      }
    }
  }

  send(c: RunnerCommand): void {
    if (this.exited) throw new Error(this.exited);
    this.child.stdin!.write(JSON.stringify(c) + '\n');
  }

  /** Resolves with the next report of that type (and id, for snaps). */
  expect<T extends RunnerReport['type']>(type: T, timeout_ms: number, id?: number): Promise<Extract<RunnerReport, { type: T }>> {
    const qi = this.reports.findIndex((r) => r.type === type && (id === undefined || (r.type === 'snap' && r.id === id)));
    if (qi >= 0) return Promise.resolve(this.reports.splice(qi, 1)[0] as Extract<RunnerReport, { type: T }>);
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const wi = this.waiters.findIndex((w) => w.timer === timer);
        if (wi >= 0) this.waiters.splice(wi, 1);
        reject(new Error(`runner ${this.name}: no "${type}" report within ${timeout_ms} ms${this.stderr ? `: ${this.stderr.trim()}` : ''}`));
      }, timeout_ms);
      this.waiters.push({ type, id, resolve: resolve as (r: RunnerReport) => void, reject, timer });
    });
  }

  /** SIGKILLs the runner (only pids this object started) and waits, synchronously, until they are gone. */
  kill_sync(): void {
    for (const pid of this.pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    const deadline = Date.now() + 5000;
    for (const pid of this.pids) {
      while (Date.now() < deadline && is_alive(pid)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      if (is_alive(pid)) throw new Error(`runner ${this.name} (pid ${pid}) did not exit after SIGKILL`);
    }
  }
}

/** True while a process runs (a zombie awaiting its parent counts as gone). */
export function is_alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
