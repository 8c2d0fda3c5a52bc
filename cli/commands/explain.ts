import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { byte_size, integer_in, one_of } from '../option_parsers';
import { resolve_profile } from '../../io/host_profile';
import {
  coalescing_modes,
  explain_connections,
  explain_links,
  type CoalescingMode,
  type ExplainLink,
  type ExplainResult,
} from '../../model/explain';
import { socket_sides, socket_states, type SocketSide, type SocketState } from '../../model/slab';
import type { TcpMemPages } from '../../model/mem';

interface ExplainOptions {
  profile?: string;
  connections: number;
  state: SocketState;
  side: SocketSide;
  link: ExplainLink;
  ip: 'ipv4' | 'ipv6';
  epoll: boolean;
  unreadBytes: number;
  segmentBytes?: number;
  coalescing: CoalescingMode;
  unsentBytes: number;
  unackedBytes: number;
  soRcvbuf?: number;
  soSndbuf?: number;
  tcpMem?: TcpMemPages;
  ram?: number;
  json?: boolean;
}

function tcp_mem_triple(v: string): TcpMemPages {
  const xs = v.trim().split(/[\s,]+/).map(Number);
  if (xs.length !== 3 || xs.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new InvalidArgumentError(`"${v}" is not three page counts; write e.g. "287898 383865 575796" (min pressure max, pages)`);
  }
  if (!(xs[0] <= xs[1] && xs[1] <= xs[2])) throw new InvalidArgumentError(`"${v}": allowed only min <= pressure <= max`);
  return [xs[0], xs[1], xs[2]];
}

const int = (n: number) => n.toLocaleString('en-US');
function human(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u < 0 ? `${int(bytes)} B` : `${int(bytes)} B (${v.toFixed(v < 10 ? 2 : 1)} ${units[u]})`;
}
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

/** The text table: pure function of the result, so tests can check it without a terminal. */
export function render_explain(r: ExplainResult, source: string): string {
  const i = r.input;
  const L: string[] = [];
  const what = `${i.state.toUpperCase()} ${r.unit === 'pair' ? 'connection pair' : `${i.side} socket`}`;
  L.push(`tcpmem explain: profile ${r.profile.id} (${r.profile.release}); ${source}`);
  L.push(`${int(i.connections)} × ${what} on ${i.link}, ${i.ip}, ${i.epoll ? 'epoll' : 'no epoll'}` +
    (i.unread_bytes || i.unsent_bytes || i.unacked_bytes ? `, unread ${int(i.unread_bytes)} B, unsent ${int(i.unsent_bytes)} B, unacked ${int(i.unacked_bytes)} B` : ', idle'));
  L.push('');
  L.push(`Slab objects per ${r.unit}            objects        bytes`);
  for (const o of r.per_connection.slab) L.push(`  ${pad(o.cache, 28)}${lpad(int(o.objects), 9)}${lpad(int(o.bytes), 13)}`);
  L.push(`  ${pad('slab total', 28)}${lpad('', 9)}${lpad(int(r.per_connection.slab_bytes), 13)}`);
  L.push('');
  L.push(`Buffers per ${r.unit}                 skbs      payload    truesize`);
  if (r.per_connection.buffers.length === 0) L.push('  (none: nothing queued)');
  for (const b of r.per_connection.buffers) {
    L.push(`  ${pad(`${b.socket} ${b.queue} queue`, 28)}${lpad(int(b.skbs), 6)}${lpad(int(b.payload_bytes), 13)}${lpad(int(b.truesize_bytes), 12)}`);
  }
  L.push('');
  L.push('tcp_mem charge per socket (pages = (r + w + f) / 4096, f the prepaid remainder, R-6.2)');
  for (const s of r.per_connection.sockets) {
    L.push(`  ${pad(s.socket, 8)} r ${int(s.rmem_alloc_bytes)}  w ${int(s.wmem_queued_bytes)}  f ${int(s.forward_alloc_bytes)}  → ${int(s.pages_charged)} page(s)`);
  }
  L.push('');
  L.push(`Per ${r.unit}: ${human(r.per_connection.total_bytes)} kernel memory (slab ${int(r.per_connection.slab_bytes)} + buffers ${int(r.per_connection.buffer_truesize_bytes)}), ${int(r.per_connection.pages_charged)} tcp_mem page(s)`);
  L.push(`× ${int(r.totals.connections)}: ${human(r.totals.total_bytes)} (slab ${human(r.totals.slab_bytes)}, buffers ${human(r.totals.buffer_truesize_bytes)})`);
  const t = r.tcp_mem;
  L.push(`  tcp_mem: ${int(r.totals.pages_charged)} pages against [${t.pages.join(' ')}] (${t.source}) → ${t.region}`);
  if (t.connections_to_pressure !== null) {
    L.push(`  memory pressure from ${int(t.connections_to_pressure)} ${r.unit}s, tcp_mem max exceeded from ${int(t.connections_to_max as number)}`);
  }
  L.push(`  /proc/net/sockstat "mem" may lag the true count by up to ±${int(t.sockstat_lag_bound_pages)} pages (per-CPU reserve, R-6.6)`);
  L.push('');
  L.push('Assumptions:');
  for (const a of r.assumptions) L.push(`  - ${a}`);
  return L.join('\n') + '\n';
}

export function register_explain(program: Command): void {
  program
    .command('explain')
    .description('Kernel memory per TCP connection and for N of them, from the kernel model (slab objects, skb truesize, tcp_mem pages)')
    .option('--profile <id|file.json|host>', 'kernel profile: a builtin id, a profile JSON file, or "host" (default: the running host, else 6.18.44-reference)')
    .option('--connections <n>', 'number of connections (or pairs with --side pair)', integer_in(0, 1_000_000_000_000), 1)
    .option('--state <state>', `socket state: ${socket_states.join(', ')}`, one_of(socket_states), 'established')
    .option('--side <side>', `which end: ${socket_sides.join(', ')} (pair = both ends, as on loopback)`, one_of(socket_sides), 'pair')
    .option('--link <kind>', `link: ${explain_links.join(', ')}`, one_of(explain_links), 'loopback')
    .option('--ip <version>', 'ipv4 or ipv6', one_of(['ipv4', 'ipv6'] as const), 'ipv4')
    .option('--epoll', 'each socket fd is registered in an epoll set')
    .option('--no-epoll', 'no epoll registration (default)')
    .option('--unread-bytes <bytes>', 'bytes received and not read, per connection', byte_size(0, 2 ** 40), 0)
    .option('--segment-bytes <bytes>', 'size of the writes the unread bytes arrived in (default: one mss)', byte_size(1, 16 * 1024 * 1024))
    .option('--coalescing <mode>', `how received segments share skbs (R-4.9/4.10): all = writes spaced ≥ 10 ms (default), quickack = a back-to-back burst, none = upper bound`, one_of(coalescing_modes), 'all')
    .option('--unsent-bytes <bytes>', 'bytes written but not sent, per connection', byte_size(0, 2 ** 40), 0)
    .option('--unacked-bytes <bytes>', 'bytes sent but not acknowledged, per connection', byte_size(0, 2 ** 40), 0)
    .option('--so-rcvbuf <bytes>', 'SO_RCVBUF set by the application (the kernel doubles it)', byte_size(0, 2 ** 31 - 1))
    .option('--so-sndbuf <bytes>', 'SO_SNDBUF set by the application (the kernel doubles it)', byte_size(0, 2 ** 31 - 1))
    .option('--tcp-mem <"min pressure max">', 'tcp_mem thresholds in pages (default: the profile\'s)', tcp_mem_triple)
    .option('--ram <size>', 'RAM of the machine, to compute tcp_mem as the kernel does (e.g. 64GiB)', byte_size(64 * 1024 * 1024, 2 ** 50))
    .option('--json', 'print the breakdown as JSON')
    .action((opts: ExplainOptions) => {
      const { profile, source } = resolve_profile(opts.profile);
      const r = explain_connections(profile, {
        connections: opts.connections,
        state: opts.state,
        side: opts.side,
        link: opts.link,
        ip: opts.ip,
        epoll: opts.epoll === true,
        unread_bytes: opts.unreadBytes,
        segment_bytes: opts.segmentBytes,
        coalescing: opts.coalescing,
        unsent_bytes: opts.unsentBytes,
        unacked_bytes: opts.unackedBytes,
        so_rcvbuf: opts.soRcvbuf,
        so_sndbuf: opts.soSndbuf,
        tcp_mem: opts.tcpMem,
        ram_bytes: opts.ram,
      });
      process.stdout.write(opts.json ? JSON.stringify({ profile_source: source, ...r }, null, 2) + '\n' : render_explain(r, source));
    });
}
