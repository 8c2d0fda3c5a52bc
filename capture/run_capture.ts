import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EnvironmentError } from '../cli/main';
import { tool_version } from '../cli/tool_version';
import { RUN_FORMAT, recorded_counters, recorded_slab_caches, type Run, type SocketSample } from '../model/run_output';
import { parse_scenario, vm_only_sysctls, type Scenario } from '../model/scenario';
import { InputError } from '../model/schema/format_zod_error';
import { Cleanup } from './cleanup';
import { run, sleep } from './exec';
import { MEMCG_V1_ROOT, create_memcg } from './memcg';
import { create_topology, type Topology } from './netns';
import { RunnerProcess } from './runner_process';
import type { RunnerConfig } from './runner/protocol';
import { build_port_map, global_row, identify, read_counters, read_raw, read_slab, socket_row } from './sample';
import { read_net_sysctls, set_global_sysctl, set_sysctl } from './sysctl';
import { apply_loss_rules, nft_loss_ruleset, read_loss_drops } from './loss_rules';

export interface RunCaptureOptions {
  scenario: Scenario;
  scenario_file: string | null;
  repeat_index: number;
  source: 'kernel' | 'vm';
  allow_global_sysctls: boolean;
  on_progress?: (done_ms: number, total_ms: number) => void;
  /** Called once the namespaces, cgroup and runners exist (tests use it to check cleanup). */
  on_setup?: (info: { namespaces: string[]; memcg_dir: string | null; runner_pids: number[] }) => void;
  /** Test hook: throw this error once the workload has run this long (proves cleanup on failure). */
  fail_after_ms?: number;
}

/** Listener ports: group i listens on BASE_PORT + i (never 2024). */
export const BASE_PORT = 20000;

/** Checks the machine can run a live capture; throws EnvironmentError saying what is missing. */
export async function check_capture_environment(needs_memcg: boolean, needs_nft = false): Promise<void> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new EnvironmentError('tcpmem capture needs root (it creates network namespaces and, for memcg scenarios, a memory cgroup); run it with sudo');
  }
  try {
    await run('ip', ['netns', 'list']);
  } catch (err) {
    throw new EnvironmentError(`tcpmem capture needs iproute2 with network-namespace support (\`ip netns\`): ${(err as Error).message}`);
  }
  try {
    await run('ss', ['-V']);
  } catch {
    throw new EnvironmentError('tcpmem capture needs `ss` (iproute2) on the PATH');
  }
  if (needs_nft) {
    try {
      await run('nft', ['--version']);
    } catch {
      throw new EnvironmentError('this scenario sets kernel.loss: tcpmem capture needs `nft` (Debian package nftables: apt-get install -y nftables) and a kernel with nf_tables and NFT_NUMGEN');
    }
  }
  if (needs_memcg && !fs.existsSync(path.join(MEMCG_V1_ROOT, 'memory.kmem.tcp.limit_in_bytes'))) {
    throw new EnvironmentError(`this scenario needs a cgroup v1 memory controller with memory.kmem.tcp.limit_in_bytes at ${MEMCG_V1_ROOT} (R-6.15); this machine has none`);
  }
}

function short_name(s: string): string {
  return s.replace(/[^a-z0-9]/g, '').slice(0, 12) || 'x';
}

/**
 * Runs one scenario on the running kernel: creates the namespace(s), sets the scenario's
 * per-namespace sysctls, optionally a memory cgroup v1 child, starts a server and a client
 * runner, waits settle_ms, then samples every interval_ms for duration_ms. Everything it
 * created is removed in `finally` and on SIGINT/SIGTERM.
 */
export async function run_capture(opts: RunCaptureOptions): Promise<Run> {
  const scenario = parse_scenario(opts.scenario, opts.source === 'vm' ? 'vm' : 'capture');
  const globals = Object.keys(scenario.kernel.sysctls).filter((k) => (vm_only_sysctls as readonly string[]).includes(k));
  if (globals.length > 0 && !opts.allow_global_sysctls) {
    throw new EnvironmentError(`kernel.sysctls: ${globals.join(', ')} are global sysctls; this capture may not change them on a shared host (use --vm)`);
  }
  const mc = scenario.kernel.memcg;
  await check_capture_environment(mc !== null, !!scenario.kernel.loss);

  const started_at = new Date();
  const wall0 = performance.now();
  const base = `tcpmem-${short_name(scenario.name)}-${process.pid}-${opts.repeat_index}`;
  const cleanup = new Cleanup();
  const notes: string[] = [];
  const on_signal = (sig: NodeJS.Signals) => {
    const failures = cleanup.run_all();
    for (const f of failures) process.stderr.write(`tcpmem: cleanup: ${f}\n`);
    process.stderr.write(`tcpmem: capture interrupted by ${sig}; namespaces, cgroup and runners removed\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', on_signal);
  process.once('SIGTERM', on_signal);
  const runners: RunnerProcess[] = [];
  try {
    const base_slab = await read_slab();
    const topo: Topology = await create_topology(base, scenario.kernel.link, scenario.kernel.ip, cleanup);
    for (const [key, value] of Object.entries(scenario.kernel.sysctls)) {
      if (globals.includes(key)) await set_global_sysctl(key, value, cleanup);
      else for (const ns of topo.namespaces) await set_sysctl(ns, key, value);
    }
    // link loss (kernel.loss): nftables rules in the receiving namespace; they go with the namespace
    const loss = scenario.kernel.loss ?? null;
    const loss_ns = loss === null ? null : loss.direction === 'to_server' ? topo.server_ns : topo.client_ns;
    if (loss !== null && loss_ns !== null) {
      await apply_loss_rules(loss_ns, nft_loss_ruleset(loss, scenario.groups.map((_, gi) => BASE_PORT + gi), scenario.kernel.ip));
    }
    let memcg_dir: string | null = null;
    if (mc !== null) memcg_dir = create_memcg(base, mc.tcp_limit_bytes, cleanup);
    const procs = memcg_dir === null ? null : path.join(memcg_dir, 'cgroup.procs');
    const holds = (side: 'client' | 'server'): boolean => {
      if (mc === null) return false;
      if (mc.holds === 'both') return true;
      const writer_sides = new Set(scenario.groups.map((g) => g.writer.side));
      return mc.holds === 'writers' ? writer_sides.has(side) : [...writer_sides].some((w) => w !== side);
    };

    const cfg = (role: 'client' | 'server'): RunnerConfig => ({
      role, ip: scenario.kernel.ip, server_addr: topo.server_addr, base_port: BASE_PORT, groups: scenario.groups,
    });
    const total_conns = scenario.groups.reduce((a, g) => a + g.count, 0);
    const setup_timeout = 30_000 + total_conns * 10;
    const server = new RunnerProcess('server', topo.server_ns, cfg('server'), holds('server') ? procs : null);
    runners.push(server);
    cleanup.add('stop server runner', () => server.kill_sync());
    await server.expect('hello', setup_timeout);
    await server.expect('listening', setup_timeout);
    const client = new RunnerProcess('client', topo.client_ns, cfg('client'), holds('client') ? procs : null);
    runners.push(client);
    cleanup.add('stop client runner', () => client.kill_sync());
    await client.expect('hello', setup_timeout);
    const connected = await client.expect('connected', setup_timeout);
    server.send({ type: 'map', ports: connected.ports });
    await Promise.all([server.expect('ready', setup_timeout), client.expect('ready', setup_timeout)]);
    const runner_pids = runners.flatMap((r) => [...r.pids]);
    opts.on_setup?.({ namespaces: topo.namespaces, memcg_dir, runner_pids });

    const sysctls = await read_net_sysctls(topo.server_ns);
    const port_map = build_port_map(scenario.groups, BASE_PORT, connected.ports);
    const listener_ports = new Set(scenario.groups.map((_, gi) => BASE_PORT + gi));
    await sleep(scenario.sampling.settle_ms);

    // One runner per namespace: /proc/<pid>/net/{netstat,sockstat} are that namespace's.
    const ns_pids = topo.namespaces.length > 1 ? [client.child.pid!, server.child.pid!] : [server.child.pid!];
    const base_counters = await read_counters(ns_pids);
    // Sample 0 is taken before the workload starts (the settled, connected state); the runners
    // get "start" right after it, and t_ms of later samples counts from that moment.
    let t0 = 0;
    const { interval_ms, duration_ms } = scenario.sampling;
    const n_samples = Math.floor(duration_ms / interval_ms) + 1;
    const sockets: SocketSample[] = [];
    const global: Run['global'] = [];
    let late_ms = 0;
    let runner_late_ms = 0;
    for (let i = 0; i < n_samples; i++) {
      const nominal_ms = i * interval_ms;
      if (i > 0) {
        const wait = t0 + nominal_ms - performance.now();
        if (wait > 0) await sleep(wait);
        else late_ms = Math.max(late_ms, -wait);
      }
      // t_ms is when this sample's readings began (ms since the runners were told to start).
      const t_ms = i === 0 ? 0 : Math.round(performance.now() - t0);
      if (opts.fail_after_ms !== undefined && performance.now() - t0 >= opts.fail_after_ms) {
        throw new Error(`forced failure after ${opts.fail_after_ms} ms (test hook)`);
      }
      const snap_id = i;
      for (const r of runners) r.send({ type: 'snap', id: snap_id });
      const [raw, s_snap, c_snap] = await Promise.all([
        read_raw(topo.namespaces, ns_pids, memcg_dir),
        server.expect('snap', 30_000, snap_id),
        client.expect('snap', 30_000, snap_id),
      ]);
      const ours = [];
      for (const s of raw.ss) {
        const id = identify(s, listener_ports, port_map);
        if (id === null) continue;
        ours.push(s);
        const gi = scenario.groups.findIndex((g) => g.name === id.group);
        const snap = id.side === 'server' ? s_snap : c_snap;
        sockets.push(socket_row(t_ms, id, s, snap.written[gi]?.[id.conn] ?? null, snap.read[gi]?.[id.conn] ?? null));
      }
      global.push(global_row(t_ms, raw, ours, base_counters, base_slab, recorded_counters, recorded_slab_caches));
      opts.on_progress?.(nominal_ms, duration_ms);
      runner_late_ms = Math.max(runner_late_ms, s_snap.max_late_ms, c_snap.max_late_ms);
      if (i === 0) {
        for (const r of runners) r.send({ type: 'start' });
        t0 = performance.now();
      }
      if (s_snap.send_errors + c_snap.send_errors > 0 && i === n_samples - 1) {
        notes.push(`runners saw ${s_snap.send_errors + c_snap.send_errors} unexpected send/recv errors (not EAGAIN)`);
      }
    }
    for (const r of runners) r.send({ type: 'stop' });
    if (loss !== null && loss_ns !== null) {
      const dropped = await read_loss_drops(loss_ns);
      notes.push(`kernel.loss: nftables (input hook of ${loss_ns}) dropped ${dropped ?? 'an unknown number of'} data segments ${loss.direction.replace('_', ' ')} by the end of sampling`);
    }

    if (late_ms > interval_ms / 2) notes.push(`sampling fell up to ${Math.round(late_ms)} ms behind its ${interval_ms} ms schedule (a sample of many sockets is slow); t_ms records when each sample actually began`);
    if (runner_late_ms > 10) notes.push(`the runners executed scheduled writes/reads up to ${runner_late_ms} ms late (host load)`);
    notes.push(
      't_ms is when each sample began, in ms after the runners were told to start (the t=0 sample is taken just before they start); one sample (ss, nstat, sockstat, slabinfo, cgroup) takes a few ms to tens of ms, so its readings are not simultaneous.',
      'sockstat_tcp_mem_pages and tcp_memory_pressure are host-global (other services add noise; R-6.7: the global lags by up to ±256 pages per CPU); sockstat inuse/tw are this capture\'s namespaces only.',
      'slab_*_objs are /proc/slabinfo active_objs deltas since before the namespaces were created: host-global, approximate (SLUB per-CPU slabs count as active), null for caches this kernel merges or lacks.',
      'counter_*_count are TcpExt deltas (from /proc/<runner>/net/netstat, what nstat reads) since the t=0 sample, summed over the capture\'s namespaces (per-netns counters).',
      'rcv_wnd_bytes is null: iproute2 6.1 ss does not print rcv_wnd. unacked, notsent, bytes_received, bytes_acked are 0 where ss omitted them (it prints them only when non-zero).',
      'One listening socket per group exists in addition (not in sockets.csv, included in slab deltas).',
    );
    if (scenario.groups.some((g) => g.writer.blocking && g.writer.program.kind !== 'fill' && g.count > 1)) {
      notes.push('blocking writers: one runner drives all of a side\'s connections, so each blocking send() waits at most 10 ms (SO_SNDTIMEO) before the runner moves on.');
    }
    const release = os.release();
    return {
      meta: {
        format: RUN_FORMAT,
        source: opts.source,
        scenario,
        scenario_file: opts.scenario_file,
        kernel_release: release,
        profile_id: release.startsWith('6.18.44') ? '6.18.44-reference' : release.startsWith('6.1.0') ? 'debian-6.1.192-amd64' : null,
        sysctls,
        tool_version: tool_version(),
        host: { cpus: os.cpus().length, mem_total_bytes: os.totalmem(), machine: os.machine?.() ?? null },
        started_at: started_at.toISOString(),
        wall_ms: Math.round(performance.now() - wall0),
        repeat_index: opts.repeat_index,
        counters: [...recorded_counters],
        slab_caches: [...recorded_slab_caches],
        notes,
      },
      sockets,
      global,
    };
  } catch (err) {
    if (err instanceof EnvironmentError || err instanceof InputError) throw err;
    throw new EnvironmentError(`capture of ${scenario.name} failed: ${(err as Error).message}`);
  } finally {
    const failures = cleanup.run_all();
    process.removeListener('SIGINT', on_signal);
    process.removeListener('SIGTERM', on_signal);
    if (failures.length > 0) {
      // eslint-disable-next-line no-unsafe-finally
      throw new EnvironmentError(`capture cleanup failed (remove these by hand):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    }
  }
}
