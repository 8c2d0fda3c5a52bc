import type { KernelProfile } from '../profile/kernel_profile';
import type { ConnectionGroup, Scenario } from '../scenario/scenario_schema';
import { connection_slab_objects } from '../slab/connection_slab_objects';
import { rx_skb_truesize, type RxLink } from '../skb/rx_skb_truesize';
import { tx_skb_truesize } from '../skb/tx_skb_truesize';
import { sock_set_rcvbuf, sock_set_sndbuf } from '../window/sock_set_buf';
import { tcp_mss_for_link } from '../window/tcp_mss_for_link';
import { tcp_sndbuf_expand } from '../window/tcp_sndbuf_expand';
import { sk_mem_pages } from '../mem/sk_mem_pages';
import type { Figure, SocketRole, SocketSteadyState } from './plan_types';
import { reader_bytes_per_s, reader_stalls, sysctl_triple, writer_traffic } from './workload_traffic';

/** Largest write the plan treats as one skb (lo/veth size_goal is ≥ 32 KiB after the handshake, R-2.9). */
export const one_skb_max_bytes = 16384;

/** The receive link of a scenario in the form rx_skb_truesize wants. */
export function rx_link_of(scenario: Scenario): RxLink {
  const link = scenario.kernel.link;
  if (link.kind !== 'nic') return { kind: link.kind };
  return { kind: 'nic', rx_buffer: link.rx_buffer, gro: link.gro, mss_bytes: tcp_mss_for_link(link, scenario.kernel.ip).mss_bytes };
}

/** Truesize of one write of `bytes` as queued on the receiver (lo/veth split into one_skb_max_bytes chunks: an upper bound). */
function rx_write_truesize(p: KernelProfile, scenario: Scenario, bytes: number): number {
  const link = rx_link_of(scenario);
  if (link.kind === 'nic' || bytes <= one_skb_max_bytes) return rx_skb_truesize(p, link, bytes);
  const chunks = Math.ceil(bytes / one_skb_max_bytes);
  return bytes + chunks * tx_skb_truesize(p, 0);
}

function tx_write_truesize(p: KernelProfile, bytes: number): number {
  const chunks = Math.max(1, Math.ceil(bytes / one_skb_max_bytes));
  return bytes + chunks * tx_skb_truesize(p, 0);
}

/** Messages spaced at least this far apart are assumed to be read/acknowledged before the next one arrives. */
export const spaced_message_ms = 100;

/**
 * Messages that are in a socket's queue at once when the peer keeps up: 1 for a steady rate with a period of at
 * least spaced_message_ms, the burst size for spaced bursts; null when messages come faster (simulate).
 */
export function messages_in_flight(g: ConnectionGroup): number | null {
  const prog = g.writer.program;
  if (prog.kind === 'rate') return 1000 / prog.messages_per_s >= spaced_message_ms ? 1 : null;
  if (prog.kind === 'writes') {
    let most = 1;
    for (const st of prog.steps) {
      if (st.count > st.burst && st.spacing_ms < spaced_message_ms) return null;
      most = Math.max(most, Math.min(st.burst, st.count));
    }
    return most;
  }
  return null;
}

const estimate = (value: number, note: string): Figure => ({ value, method: 'analytic_estimate', note });
const exact = (value: number, note?: string): Figure => ({ value, method: 'analytic_exact', ...(note ? { note } : {}) });
const bound = (value: number, note?: string): Figure => ({ value, method: 'analytic_bound', ...(note ? { note } : {}) });
const unknown = (note: string): Figure => ({ value: null, method: 'not_available', note });

/**
 * The steady state of the socket of `g` on `side`: its slab objects, the pages it holds at an idle
 * instant, an upper bound from its buffer limit, and (when exact) its peak.
 *
 * Kernel:
 * - slab per socket: via connection_slab_objects;
 * - pages = ceil((r + w + f)/4096); once every byte is read and acknowledged r = w = 0 and reclaim leaves
 *   f < 4096 with r + w + f a multiple of 4096, so f = 0 and the socket holds 0 pages;
 * - one unread message of S bytes: the receiver holds its RX skb, truesize per R-3.3/R-3.6 (lo/veth: sender's
 *   832 + S on 6.18) or ..3.10 (NIC), charged in whole pages;
 * - receive queue bound: r ≤ rcvbuf before each skb is admitted, so r < rcvbuf + one skb; an unlocked
 *   socket's rcvbuf may grow to tcp_rmem[2] (R-5.16 clamp growth, R-5.17 DRS); SO_RCVBUF locks it;
 * - send queue bound: w < sndbuf + one skb; sndbuf starts at tcp_sndbuf_expand, may grow to
 *   tcp_wmem[2], SO_SNDBUF locks it.
 * Model: peaks other than "one unread message" and "idle" need the simulator; the bounds assume every write is
 * its own skb (no coalescing), which over-estimates.
 */
export function socket_steady_state(p: KernelProfile, scenario: Scenario, g: ConnectionGroup, side: 'client' | 'server'): SocketSteadyState {
  const traffic = writer_traffic(g, scenario);
  const role: SocketRole = traffic.writes === 0 ? 'idle' : g.writer.side === side ? 'sender' : 'receiver';
  const slab = connection_slab_objects(p, { state: 'established', side, epoll: g.epoll, ip: scenario.kernel.ip });
  const slab_bytes = slab.reduce((a, o) => a + o.bytes, 0);
  const notes: string[] = [];

  const tcp_rmem = sysctl_triple(scenario, 'net.ipv4.tcp_rmem', p.sysctl.tcp_rmem);
  const tcp_wmem = sysctl_triple(scenario, 'net.ipv4.tcp_wmem', p.sysctl.tcp_wmem);
  const own_opts = g.writer.side === side ? g.writer_sockopts : g.reader_sockopts;
  const rcvbuf_locked = own_opts.so_rcvbuf !== undefined;
  const rcvbuf = rcvbuf_locked ? sock_set_rcvbuf(p, own_opts.so_rcvbuf!) : tcp_rmem[1];
  const rcvbuf_max = rcvbuf_locked ? rcvbuf : Math.max(rcvbuf, tcp_rmem[2]);
  const sndbuf_locked = own_opts.so_sndbuf !== undefined;
  const cc = own_opts.tcp_congestion ?? String(scenario.kernel.sysctls['net.ipv4.tcp_congestion_control'] ?? p.sysctl.tcp_congestion_control);
  const mss = tcp_mss_for_link(scenario.kernel.link, scenario.kernel.ip).mss_bytes;
  const sndbuf = sndbuf_locked ? sock_set_sndbuf(p, own_opts.so_sndbuf!) : tcp_sndbuf_expand(p, { mss, cwnd: 10, cc, sndbuf: tcp_wmem[1] });
  const sndbuf_max = sndbuf_locked ? sndbuf : Math.max(sndbuf, tcp_wmem[2]);

  const base = { side, role, slab, slab_bytes, rcvbuf_bytes: rcvbuf, rcvbuf_max_bytes: rcvbuf_max, rcvbuf_locked, sndbuf_bytes: sndbuf, sndbuf_max_bytes: sndbuf_max, sndbuf_locked, notes };

  if (role === 'idle') {
    return { ...base, message_truesize_bytes: null, message_payload_bytes: null, steady_pages: exact(0, 'idle: r = w = f = 0'), peak_pages: exact(0, 'idle'), bound_pages: exact(0, 'idle') };
  }

  const one_message = g.writer.program.kind === 'writes' && traffic.writes === 1 && traffic.max_write_bytes <= one_skb_max_bytes;
  if (role === 'receiver') {
    const msg = rx_write_truesize(p, scenario, traffic.max_write_bytes);
    const all_written = traffic.writes !== null ? traffic.writes * msg : null;
    const buffer_bound_bytes = rcvbuf_max + msg;
    const bound_bytes = all_written !== null ? Math.min(all_written, buffer_bound_bytes) : buffer_bound_bytes;
    const bound_note = all_written !== null && all_written < buffer_bound_bytes
      ? `every write its own skb: ${traffic.writes} × ${msg} B`
      : `r < rcvbuf${rcvbuf_locked ? ' (SO_RCVBUF, locked)' : ' (may grow to tcp_rmem[2])'} ${rcvbuf_max} + one skb ${msg} (R-4.12)`;
    const bound_pages = bound(sk_mem_pages(bound_bytes, 0, 0), bound_note);
    if (g.reader.kind === 'never') {
      if (one_message) {
        const pages = sk_mem_pages(msg, 0, 0);
        return { ...base, message_truesize_bytes: msg, message_payload_bytes: traffic.max_write_bytes, steady_pages: exact(pages, `one unread message: r = ${msg} B`), peak_pages: exact(pages, `one unread message: r = ${msg} B`), bound_pages };
      }
      notes.push('never reads: the queue grows to its window/rcvbuf bound; coalescing decides how close (simulate)');
      return { ...base, message_truesize_bytes: msg, message_payload_bytes: traffic.max_write_bytes, steady_pages: unknown('unread queue: needs the simulator'), peak_pages: unknown('unread queue: needs the simulator'), bound_pages };
    }
    const reader_rate = reader_bytes_per_s(g);
    if (reader_rate !== null && traffic.bytes_per_s !== null && reader_rate < traffic.bytes_per_s) {
      notes.push(`periodic reader consumes ${reader_rate} B/s < ${traffic.bytes_per_s} B/s written: the queue grows to its bound`);
      return { ...base, message_truesize_bytes: msg, message_payload_bytes: traffic.max_write_bytes, steady_pages: unknown('reader slower than writer: needs the simulator'), peak_pages: unknown('needs the simulator'), bound_pages };
    }
    const in_flight = messages_in_flight(g);
    let peak: Figure = unknown('transient: needs the simulator');
    if (reader_stalls(g)) notes.push('reader stalls: the peak is reached during a stall (simulate)');
    else if (in_flight !== null) peak = estimate(sk_mem_pages(in_flight * msg, 0, 0), `${in_flight} message(s) of ${msg} B queued until read (spaced ≥ ${spaced_message_ms} ms, no coalescing)`);
    return { ...base, message_truesize_bytes: msg, message_payload_bytes: traffic.max_write_bytes, steady_pages: exact(0, 'all data read: r = 0, f reclaimed (R-6.9)'), peak_pages: peak, bound_pages };
  }

  // sender
  const msg = tx_write_truesize(p, traffic.max_write_bytes);
  const all_written = traffic.writes !== null ? traffic.writes * msg : null;
  const buffer_bound_bytes = sndbuf_max + msg;
  const bound_bytes = all_written !== null ? Math.min(all_written, buffer_bound_bytes) : buffer_bound_bytes;
  const bound_pages = bound(sk_mem_pages(0, bound_bytes, 0), `w < sndbuf${sndbuf_locked ? ' (SO_SNDBUF, locked)' : ' (may grow to tcp_wmem[2])'} ${sndbuf_max} + one skb ${msg} (R-2.2)`);
  const peer_reads = !reader_stalls(g);
  if (peer_reads || one_message) {
    const in_flight = one_message ? 1 : messages_in_flight(g);
    return {
      ...base,
      message_truesize_bytes: msg, message_payload_bytes: traffic.max_write_bytes,
      steady_pages: exact(0, one_message ? 'one message, acknowledged: w = 0' : 'peer reads: everything acknowledged, w = 0'),
      peak_pages: in_flight !== null
        ? estimate(sk_mem_pages(0, in_flight * msg, 0), `${in_flight} message(s) of ${msg} B in the send queue until ACKed (spaced ≥ ${spaced_message_ms} ms)`)
        : unknown('transient until ACK: needs the simulator'),
      bound_pages,
    };
  }
  if (g.reader.kind !== 'never') {
    return { ...base, message_truesize_bytes: msg, message_payload_bytes: traffic.max_write_bytes, steady_pages: exact(0, 'peer resumes reading after its stalls: w = 0'), peak_pages: unknown('during stalls: needs the simulator'), bound_pages };
  }
  notes.push('peer never reads: the send queue fills once the peer window is full');
  return { ...base, message_truesize_bytes: msg, message_payload_bytes: traffic.max_write_bytes, steady_pages: unknown('peer never reads: needs the simulator'), peak_pages: unknown('needs the simulator'), bound_pages };
}
