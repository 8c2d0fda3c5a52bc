import * as fs from 'node:fs';
import type { ConnectionGroup } from '../model/scenario';
import { counter_column, slab_column, type GlobalSample, type SocketSample } from '../model/run_output';
import { run } from './exec';
import { read_memcg, type MemcgReading } from './memcg';
import { parse_proc_netstat, parse_protocols, parse_slabinfo, parse_sockstat, parse_ss, tcpext_counter, type SlabCache, type SsSocket } from './parsers';

/** Which (group, conn, side) a socket is, keyed by "<listener port>:<client port>". */
export type PortMap = Map<string, { group: string; conn: number }>;

export function build_port_map(groups: ConnectionGroup[], base_port: number, client_ports: number[][]): PortMap {
  const m: PortMap = new Map();
  groups.forEach((g, gi) => client_ports[gi].forEach((p, conn) => m.set(`${base_port + gi}:${p}`, { group: g.name, conn })));
  return m;
}

/** Maps an ss socket to its scenario identity, or null for a socket that is not ours. */
export function identify(s: SsSocket, listener_ports: Set<number>, map: PortMap): { group: string; conn: number; side: 'client' | 'server' } | null {
  if (listener_ports.has(s.local_port)) {
    const id = map.get(`${s.local_port}:${s.peer_port}`);
    if (id) return { ...id, side: 'server' };
  }
  if (listener_ports.has(s.peer_port)) {
    const id = map.get(`${s.peer_port}:${s.local_port}`);
    if (id) return { ...id, side: 'client' };
  }
  return null;
}

/** ss prints unacked, notsent, bytes_received and bytes_acked only when non-zero. */
function zero_if_omitted(v: number | null, has_details: boolean): number | null {
  return v === null && has_details ? 0 : v;
}

export function socket_row(t_ms: number, id: { group: string; conn: number; side: 'client' | 'server' }, s: SsSocket, written: number | null, read: number | null): SocketSample {
  const k = s.skmem;
  const d = k !== null;
  return {
    t_ms, group: id.group, conn: id.conn, side: id.side, state: s.state, weight: 1,
    r_bytes: k?.r ?? null, rb_bytes: k?.rb ?? null, t_bytes: k?.t ?? null, tb_bytes: k?.tb ?? null, f_bytes: k?.f ?? null,
    w_bytes: k?.w ?? null, o_bytes: k?.o ?? null, bl_bytes: k?.bl ?? null, d_count: k?.d ?? null,
    recv_q_bytes: s.recv_q_bytes, send_q_bytes: s.send_q_bytes,
    notsent_bytes: zero_if_omitted(s.notsent, d),
    rcv_space_bytes: s.rcv_space, rcv_rtt_ms: s.rcv_rtt_ms, rcv_ssthresh_bytes: s.rcv_ssthresh, snd_wnd_bytes: s.snd_wnd, rcv_wnd_bytes: s.rcv_wnd,
    cwnd_segs: s.cwnd, mss_bytes: s.mss, advmss_bytes: s.advmss, rcv_mss_bytes: s.rcvmss,
    unacked_segs: zero_if_omitted(s.unacked, d),
    bytes_received: zero_if_omitted(s.bytes_received, d), bytes_acked: zero_if_omitted(s.bytes_acked, d),
    bytes_written: written, bytes_read: read,
  };
}

/** Raw readings of one instant, taken concurrently. */
export interface RawSample {
  ss: SsSocket[];
  counters: Map<string, number>;
  sockstat_text: string[];
  protocols_text: string;
  slab: Map<string, SlabCache> | null;
  memcg: MemcgReading | null;
}

/** TcpExt counters of each namespace (read through a process inside it), summed. */
export async function read_counters(ns_pids: number[]): Promise<Map<string, number>> {
  const sum = new Map<string, number>();
  const texts = await Promise.all(ns_pids.map((pid) => fs.promises.readFile(`/proc/${pid}/net/netstat`, 'utf8')));
  for (const text of texts) {
    for (const [k, v] of parse_proc_netstat(text)) sum.set(k, (sum.get(k) ?? 0) + v);
  }
  return sum;
}

export async function read_slab(): Promise<Map<string, SlabCache> | null> {
  try {
    return parse_slabinfo(await fs.promises.readFile('/proc/slabinfo', 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Takes every reading of one sample concurrently: ss per namespace (a process spawn, the
 * slowest part), counters and sockstat through /proc/<runner pid>/net/, protocols, slabinfo.
 */
export async function read_raw(namespaces: string[], ns_pids: number[], memcg_dir: string | null): Promise<RawSample> {
  const t0 = performance.now();
  // The cgroup files first: ss of thousands of sockets takes seconds, and the cgroup reading
  // must be of the same instant as the socket readings, not of the end of the sample.
  const memcg = memcg_dir ? read_memcg(memcg_dir) : null;
  const [ss_texts, counters, sockstat_text, protocols_text, slab] = await Promise.all([
    Promise.all(namespaces.map((ns) => run('ss', ['-N', ns, '-tmoniH']).then((t) => {
      if (process.env.TCPMEM_CAPTURE_TIMING) process.stderr.write(`ss ${ns}: ${Math.round(performance.now() - t0)} ms, ${t.length} chars\n`);
      return t;
    }))),
    read_counters(ns_pids),
    Promise.all(ns_pids.map((pid) => fs.promises.readFile(`/proc/${pid}/net/sockstat`, 'utf8'))),
    fs.promises.readFile('/proc/net/protocols', 'utf8'),
    read_slab(),
  ]);
  const t1 = performance.now();
  const ss = ss_texts.flatMap(parse_ss);
  if (process.env.TCPMEM_CAPTURE_TIMING) process.stderr.write(`readings ${Math.round(t1 - t0)} ms, parse_ss ${Math.round(performance.now() - t1)} ms\n`);
  return { ss, counters, sockstat_text, protocols_text, slab, memcg };
}

export function global_row(
  t_ms: number,
  raw: RawSample,
  ours: SsSocket[],
  base_counters: Map<string, number>,
  base_slab: Map<string, SlabCache> | null,
  counters: readonly string[],
  caches: readonly string[],
): GlobalSample {
  const st = raw.sockstat_text.map(parse_sockstat);
  const proto = parse_protocols(raw.protocols_text);
  const mc = raw.memcg;
  const values: Record<string, number | null> = {
    sockstat_tcp_inuse_count: st.reduce((a, s) => a + s.inuse, 0),
    sockstat_tcp_alloc_count: st[0]?.alloc ?? null,
    sockstat_tcp_orphan_count: st[0]?.orphan ?? null,
    sockstat_tcp_tw_count: st.reduce((a, s) => a + s.tw, 0),
    sockstat_tcp_mem_pages: st[0]?.mem_pages ?? null,
    sockets_pages: ours.reduce((a, s) => a + (s.skmem ? Math.ceil((s.skmem.r + s.skmem.w + s.skmem.f) / 4096) : 0), 0),
    memcg_tcp_usage_bytes: mc?.usage_bytes ?? null,
    memcg_tcp_limit_bytes: mc?.limit_bytes ?? null,
    memcg_tcp_failcnt_count: mc?.failcnt ?? null,
    memcg_tcp_max_usage_bytes: mc?.max_usage_bytes ?? null,
    tcp_memory_pressure: proto.pressure === null ? null : proto.pressure ? 1 : 0,
  };
  for (const c of counters) {
    const now = tcpext_counter(raw.counters, c);
    const base = tcpext_counter(base_counters, c);
    values[counter_column(c)] = now === null || base === null ? null : now - base;
  }
  for (const c of caches) {
    const now = raw.slab?.get(c);
    const base = base_slab?.get(c);
    values[slab_column(c)] = now === undefined || base === undefined ? null : now.active_objs - base.active_objs;
  }
  return { t_ms, values };
}
