import type { KernelProfile } from '../profile/kernel_profile';
import { InputError } from '../schema/format_zod_error';
import { pressure_region, type PressureRegion } from '../mem/pressure_region';
import { sk_mem_page_bytes, sk_mem_pages } from '../mem/sk_mem_pages';
import { sockstat_lag_bound_pages } from '../mem/sockstat_lag_bound_pages';
import { tcp_init_mem, tcp_mem_of, type TcpMemPages } from '../mem/tcp_init_mem';
import { connection_slab_objects, socket_sides, socket_states, type SlabObjects, type SocketSide, type SocketState } from '../slab/connection_slab_objects';
import { nic_rx_skbs } from '../skb/rx_skb_truesize';
import { tx_skb_truesize } from '../skb/tx_skb_truesize';
import { sock_set_rcvbuf, sock_set_sndbuf } from '../window/sock_set_buf';
import { tcp_measure_rcv_mss_ratio } from '../window/tcp_measure_rcv_mss_ratio';
import { tcp_mss_for_link } from '../window/tcp_mss_for_link';
import { tcp_init_cwnd, tcp_sndbuf_expand } from '../window/tcp_sndbuf_expand';
import { tcp_win_from_space } from '../window/tcp_win_from_space';
import { explain_link, explain_links, type ExplainLink } from './explain_links';
import { coalescing_modes, receive_queue_truesize, tcp_incr_quickack_budget, type CoalescingMode } from './receive_queue';
import { send_queue_truesize, tcp_xmit_size_goal_bulk } from './send_queue';

export interface ExplainInput {
  connections: number;
  state: SocketState;
  /** One connection = one socket (client / server) or both ends (pair: the client sends, the server receives). */
  side: SocketSide;
  link: ExplainLink;
  ip: 'ipv4' | 'ipv6';
  epoll: boolean;
  /** Bytes received and not read, per connection (held by the receiving socket). */
  unread_bytes: number;
  /** Size of the writes the unread bytes arrived in (default: one mss). */
  segment_bytes?: number;
  coalescing: CoalescingMode;
  /** Bytes written and not yet sent (write queue), per connection (held by the sending socket). */
  unsent_bytes: number;
  /** Bytes sent and not yet acknowledged (retransmit queue), per connection. */
  unacked_bytes: number;
  /** SO_RCVBUF / SO_SNDBUF values set by the application (doubled and capped, R-5.2); absent = kernel default. */
  so_rcvbuf?: number;
  so_sndbuf?: number;
  /** Override of tcp_mem [min, pressure, max] pages. */
  tcp_mem?: TcpMemPages;
  /** RAM of the machine, to compute the default tcp_mem (R-6.1) instead of the profile's. */
  ram_bytes?: number;
}

export interface ExplainBuffer {
  socket: 'client' | 'server';
  queue: 'receive' | 'write' | 'retransmit';
  payload_bytes: number;
  skbs: number;
  truesize_bytes: number;
}

export interface ExplainSocket {
  socket: 'client' | 'server';
  rmem_alloc_bytes: number;
  wmem_queued_bytes: number;
  forward_alloc_bytes: number;
  pages_charged: number;
}

export interface ExplainResult {
  profile: { id: string; release: string };
  input: ExplainInput;
  /** What one "connection" counts. */
  unit: 'pair' | 'socket';
  assumptions: string[];
  per_connection: {
    slab: SlabObjects[];
    slab_bytes: number;
    buffers: ExplainBuffer[];
    buffer_truesize_bytes: number;
    sockets: ExplainSocket[];
    pages_charged: number;
    pages_charged_bytes: number;
    /** slab + buffer truesize: the kernel memory this connection holds. */
    total_bytes: number;
    /** The same bytes as one flat map: slab caches by name, buffers as "<socket> <queue> queue". */
    bytes_by_component: Record<string, number>;
  };
  totals: {
    connections: number;
    slab_bytes: number;
    buffer_truesize_bytes: number;
    total_bytes: number;
    pages_charged: number;
    pages_charged_bytes: number;
  };
  tcp_mem: {
    pages: TcpMemPages;
    source: string;
    region: PressureRegion;
    sockstat_lag_bound_pages: number;
    /** Smallest N whose pages exceed tcp_mem[1] (memory pressure), null when a connection charges nothing. */
    connections_to_pressure: number | null;
    /** Smallest N whose pages exceed tcp_mem[2], null when a connection charges nothing. */
    connections_to_max: number | null;
  };
}

/** nr_free_buffer_pages per 4 KiB of RAM: 6141840 of 6291456 pages on the 24 GiB reference host (R-6.1). */
export const free_buffer_pages_per_ram_page = 6141840 / 6291456;

function check_int(v: number, flag: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new InputError(`${flag} must be a whole number >= ${min}, got ${v}`);
}

/** Largest x in [0, hi] with ok(x), for a monotone ok (ok(0) true). */
function max_ok(hi: number, ok: (x: number) => boolean): number {
  let lo = 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The breakdown `tcpmem explain` prints: slab objects and buffer truesize per connection, pages charged to tcp_mem
 * (R-6.2: ceil((r + w + f) / 4096) per socket, f the remainder), totals for N connections (closed form), and where
 * N falls against tcp_mem (R-6.4) with the sockstat per-CPU lag (R-6.6). Throws an InputError naming the flag for
 * bad or inadmissible input (data in states that hold none, unread bytes beyond what the receive buffer and window
 * admit, R-4.12/R-5.13; queued bytes beyond sndbuf, R-2.2).
 */
export function explain_connections(p: KernelProfile, input: ExplainInput): ExplainResult {
  const i = { ...input };
  check_int(i.connections, '--connections', 0);
  if (!(socket_states as readonly string[]).includes(i.state)) throw new InputError(`--state "${i.state}" is not allowed; allowed: ${socket_states.join(', ')}`);
  if (!(socket_sides as readonly string[]).includes(i.side)) throw new InputError(`--side "${i.side}" is not allowed; allowed: ${socket_sides.join(', ')}`);
  if (!(explain_links as readonly string[]).includes(i.link)) throw new InputError(`--link "${i.link}" is not allowed; allowed: ${explain_links.join(', ')}`);
  if (!(coalescing_modes as readonly string[]).includes(i.coalescing)) throw new InputError(`--coalescing "${i.coalescing}" is not allowed; allowed: ${coalescing_modes.join(', ')}`);
  check_int(i.unread_bytes, '--unread-bytes', 0);
  check_int(i.unsent_bytes, '--unsent-bytes', 0);
  check_int(i.unacked_bytes, '--unacked-bytes', 0);
  if (i.side === 'pair' && i.state !== 'established') {
    throw new InputError(`--side pair is only meaningful with --state established (got ${i.state}); allowed sides for ${i.state}: client, server`);
  }
  if (i.unread_bytes > 0 && i.state !== 'established') {
    throw new InputError(`--unread-bytes needs --state established (a ${i.state} socket has no readable queue); allowed states: established`);
  }
  if (i.unsent_bytes + i.unacked_bytes > 0 && i.state !== 'established' && i.state !== 'orphan') {
    throw new InputError(`--unsent-bytes/--unacked-bytes need --state established or orphan (got ${i.state})`);
  }

  const link = explain_link(i.link);
  const mss = tcp_mss_for_link(link.mss, i.ip);
  const segment = i.segment_bytes ?? mss.mss_bytes;
  check_int(segment, '--segment-bytes', 1);
  i.segment_bytes = segment;
  const assumptions: string[] = [];
  const unit = i.side === 'pair' ? 'pair' : 'socket';
  if (i.side === 'pair') assumptions.push('one connection = both sockets of a pair: the client sends (unsent/unacked), the server receives (unread)');

  // Receive side (R-3.x, R-4.x), admission (R-4.12: r ≤ rcvbuf before adding; R-5.13: within the offered window).
  const rcvbuf = i.so_rcvbuf !== undefined ? sock_set_rcvbuf(p, i.so_rcvbuf) : p.sysctl.tcp_rmem[1];
  const seg_truesize = link.rx.kind === 'nic' ? nic_rx_skbs(p, link.rx, segment).truesize_bytes : tx_skb_truesize(p, segment);
  const ratio = segment >= 536 ? tcp_measure_rcv_mss_ratio(segment, seg_truesize) : p.scaling_ratio_init;
  const window_max = tcp_win_from_space(p, ratio, rcvbuf);
  const budget = tcp_incr_quickack_budget(tcp_win_from_space(p, p.scaling_ratio_init, rcvbuf), segment, mss.mss_bytes);
  const rq = (bytes: number) => receive_queue_truesize(p, link.rx, bytes, segment, i.coalescing, budget);
  const admitted = (bytes: number) => {
    if (bytes > window_max) return false;
    const q = rq(bytes);
    return q.truesize_bytes - q.last_skb_truesize_bytes <= rcvbuf;
  };
  if (i.unread_bytes > 0 && !admitted(i.unread_bytes)) {
    const max = max_ok(window_max, admitted);
    throw new InputError(
      `--unread-bytes ${i.unread_bytes} is more than a silent receiver admits: rcvbuf ${rcvbuf} (${i.so_rcvbuf !== undefined ? 'SO_RCVBUF' : 'tcp_rmem[1]'}), ` +
        `offered window ≤ ${window_max}, ${segment}-byte segments, coalescing '${i.coalescing}' (R-4.12, R-5.13); allowed: 0 to ${max} ` +
        `(beyond that the kernel prunes/collapses or drops: see tcpmem simulate)`,
    );
  }
  const recv = rq(i.unread_bytes);
  if (i.unread_bytes > 0) {
    assumptions.push(`unread data: ${recv.assumption}; receiver rcvbuf ${rcvbuf}, never reading`);
  }

  // Send side (R-2.2, R-2.6, R-2.10, R-2.18).
  const size_goal = tcp_xmit_size_goal_bulk(mss.mss_bytes);
  const sndbuf =
    i.so_sndbuf !== undefined
      ? sock_set_sndbuf(p, i.so_sndbuf)
      : tcp_sndbuf_expand(p, { mss: mss.mss_bytes, cwnd: tcp_init_cwnd, cc: p.sysctl.tcp_congestion_control });
  const rtx = send_queue_truesize(p, i.unacked_bytes, size_goal);
  const wq = send_queue_truesize(p, i.unsent_bytes, size_goal);
  const w_total = rtx.truesize_bytes + wq.truesize_bytes;
  const last = wq.skbs > 0 ? wq.last_skb_truesize_bytes : rtx.last_skb_truesize_bytes;
  if (w_total > 0 && w_total - last >= sndbuf) {
    const fits = (b: number) => {
      const q = send_queue_truesize(p, b, size_goal);
      return q.skbs === 0 || q.truesize_bytes - q.last_skb_truesize_bytes < sndbuf;
    };
    throw new InputError(
      `--unsent-bytes + --unacked-bytes = ${i.unsent_bytes + i.unacked_bytes} queue ${w_total} bytes of truesize, more than sndbuf ${sndbuf} ` +
        `(${i.so_sndbuf !== undefined ? 'SO_SNDBUF' : `autotuned, ${p.sysctl.tcp_congestion_control}`}) admits (R-2.2); allowed: 0 to ${max_ok(2 * sndbuf, fits)} bytes together`,
    );
  }
  if (w_total > 0) {
    assumptions.push(`queued data: written in bulk, skbs of ${size_goal} bytes (64 KiB GSO, R-2.9), truesize ${tx_skb_truesize(p, 0)} + payload each (R-2.6); sndbuf ${sndbuf}`);
  }

  const buffers: ExplainBuffer[] = [];
  const sender: 'client' | 'server' = i.side === 'server' ? 'server' : 'client';
  const receiver: 'client' | 'server' = i.side === 'client' ? 'client' : 'server';
  if (i.unread_bytes > 0) buffers.push({ socket: receiver, queue: 'receive', payload_bytes: i.unread_bytes, skbs: recv.skbs, truesize_bytes: recv.truesize_bytes });
  if (i.unsent_bytes > 0) buffers.push({ socket: sender, queue: 'write', payload_bytes: i.unsent_bytes, skbs: wq.skbs, truesize_bytes: wq.truesize_bytes });
  if (i.unacked_bytes > 0) buffers.push({ socket: sender, queue: 'retransmit', payload_bytes: i.unacked_bytes, skbs: rtx.skbs, truesize_bytes: rtx.truesize_bytes });

  const socket_names: Array<'client' | 'server'> = i.side === 'pair' ? ['client', 'server'] : [i.side as 'client' | 'server'];
  const sockets: ExplainSocket[] = socket_names.map((s) => {
    const r = buffers.filter((b) => b.socket === s && b.queue === 'receive').reduce((a, b) => a + b.truesize_bytes, 0);
    const w = buffers.filter((b) => b.socket === s && b.queue !== 'receive').reduce((a, b) => a + b.truesize_bytes, 0);
    const pages = sk_mem_pages(r, w, 0);
    return { socket: s, rmem_alloc_bytes: r, wmem_queued_bytes: w, forward_alloc_bytes: pages * sk_mem_page_bytes - r - w, pages_charged: pages };
  });

  const slab = connection_slab_objects(p, { state: i.state, side: i.side, epoll: i.epoll, ip: i.ip });
  const slab_bytes = slab.reduce((a, o) => a + o.bytes, 0);
  const buffer_truesize_bytes = buffers.reduce((a, b) => a + b.truesize_bytes, 0);
  const pages = sockets.reduce((a, s) => a + s.pages_charged, 0);
  const n = i.connections;

  let tcp_mem: TcpMemPages;
  let source: string;
  if (i.tcp_mem) {
    tcp_mem = i.tcp_mem;
    source = '--tcp-mem';
  } else if (i.ram_bytes !== undefined) {
    const nfbp = Math.floor((i.ram_bytes / 4096) * free_buffer_pages_per_ram_page);
    tcp_mem = tcp_init_mem(nfbp);
    source = `computed from --ram (nr_free_buffer_pages ≈ ${nfbp}, R-6.1)`;
  } else {
    tcp_mem = tcp_mem_of(p);
    source = p.sysctl.tcp_mem ? `profile ${p.id} sysctl` : `computed from profile ${p.id} (nr_free_buffer_pages ${p.nr_free_buffer_pages}, R-6.1)`;
  }
  if (!(tcp_mem[0] <= tcp_mem[1] && tcp_mem[1] <= tcp_mem[2])) {
    throw new InputError(`--tcp-mem must be "min pressure max" pages with min <= pressure <= max, got ${tcp_mem.join(' ')}`);
  }
  if (pages === 0) assumptions.push('idle sockets charge no tcp_mem pages: their slab objects are not counted in tcp_mem (R-1.3, R-6.2)');
  assumptions.push('slab objects counted at their slab stride (/proc/slabinfo objsize); page-frag tails and SLUB partial slabs not included (R-2.7)');

  const total_pages = n * pages;
  return {
    profile: { id: p.id, release: p.release },
    input: i,
    unit,
    assumptions,
    per_connection: {
      slab,
      slab_bytes,
      buffers,
      buffer_truesize_bytes,
      sockets,
      pages_charged: pages,
      pages_charged_bytes: pages * sk_mem_page_bytes,
      total_bytes: slab_bytes + buffer_truesize_bytes,
      bytes_by_component: Object.fromEntries([
        ...slab.map((o) => [o.cache, o.bytes] as const),
        ...buffers.map((b) => [`${b.socket} ${b.queue} queue`, b.truesize_bytes] as const),
      ]),
    },
    totals: {
      connections: n,
      slab_bytes: n * slab_bytes,
      buffer_truesize_bytes: n * buffer_truesize_bytes,
      total_bytes: n * (slab_bytes + buffer_truesize_bytes),
      pages_charged: total_pages,
      pages_charged_bytes: total_pages * sk_mem_page_bytes,
    },
    tcp_mem: {
      pages: tcp_mem,
      source,
      region: pressure_region(total_pages, tcp_mem),
      sockstat_lag_bound_pages: sockstat_lag_bound_pages(p),
      connections_to_pressure: pages > 0 ? Math.floor(tcp_mem[1] / pages) + 1 : null,
      connections_to_max: pages > 0 ? Math.floor(tcp_mem[2] / pages) + 1 : null,
    },
  };
}
