import { builtin_profiles } from '../model/profile/builtin_profiles';
import type { KernelProfile } from '../model/profile/kernel_profile';
import { tcp_mem_of } from '../model/mem/tcp_init_mem';
import { rx_skb_truesize } from '../model/skb/rx_skb_truesize';
import { tx_skb_truesize } from '../model/skb/tx_skb_truesize';
import { slab_bytes_per_connection } from '../model/slab/connection_slab_objects';
import { tcp_sndbuf_expand } from '../model/window/tcp_sndbuf_expand';
import { tcp_full_space } from '../model/window/tcp_win_from_space';
import type { CaptureComparison } from '../model/compare/comparison_types';
import { fmt_number, verdict_label } from './format_cells';

/** What docs/seed-claims/measure.py prints (one file per kernel: measurements-<release>.json). */
export interface SeedMeasurement {
  kernel_release: string;
  cpus: number;
  sysctls: Record<string, string>;
  idle_10_server_skmem: string[];
  idle_10_client_skmem: string[];
  idle_many_pairs: number;
  idle_many_server_skmem: string[];
  idle_many_client_skmem: string[];
  idle_slab_objs_per_pair: Record<string, number[]>;
  slab_stride_bytes: Record<string, number>;
  one_byte_spaced_server_recvq_r: Array<[number, number]>;
  one_byte_burst_2000_server: { recv_q: number; skmem: Record<string, number> };
  [fill: `fill_${string}`]: {
    bytes_sent: number;
    writes: number;
    server: { recv_q: number; skmem: Record<string, number>; rcv_ssthresh: number | null };
    client: { send_q: number; skmem: Record<string, number> };
  };
  netns_tcpext: Record<string, number>;
}

const LO_ADVMSS = 65483;
/** mss on a 1500-byte MTU link with timestamps (IPv4): 1500 − 20 − 20 − 12. */
const ETH_MSS = 1448;

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
/** Bytes in binary units: 7086 → "6.92 KiB", 1572311040 → "1.46 GiB". */
export function human_bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}
const kib = human_bytes;
function skmem(list: readonly string[]): Record<string, number> {
  return JSON.parse(list[0]) as Record<string, number>;
}

/** Model numbers for one profile, each named with the model file that computes it. */
export function seed_model_numbers(p: KernelProfile) {
  const pair = { state: 'established', side: 'pair', epoll: false, ip: 'ipv4' } as const;
  return {
    id: p.id,
    slab_pair_bytes: slab_bytes_per_connection(p, pair),
    slab_client_bytes: slab_bytes_per_connection(p, { ...pair, side: 'client' }),
    slab_server_bytes: slab_bytes_per_connection(p, { ...pair, side: 'server' }),
    time_wait_bytes: p.slab.tw_sock_tcp.stride_bytes,
    syn_recv_bytes: p.slab.request_sock_tcp.stride_bytes,
    one_byte_lo: tx_skb_truesize(p, 1),
    one_byte_nic_2k: rx_skb_truesize(p, { kind: 'nic', rx_buffer: 'page_frag_2k', gro: true }, 1),
    one_byte_nic_4k: rx_skb_truesize(p, { kind: 'nic', rx_buffer: 'page_frag_4k', gro: true }, 1),
    sndbuf_lo: tcp_sndbuf_expand(p, { mss: LO_ADVMSS, cwnd: 10, cc: p.sysctl.tcp_congestion_control }),
    sndbuf_mtu1500: tcp_sndbuf_expand(p, { mss: ETH_MSS, cwnd: 10, cc: p.sysctl.tcp_congestion_control }),
    rcvbuf_default: p.sysctl.tcp_rmem[1],
    initial_window: tcp_full_space(p, p.scaling_ratio_init, p.sysctl.tcp_rmem[1]),
    tcp_mem: tcp_mem_of(p),
    tcp_rmem: p.sysctl.tcp_rmem,
    tcp_wmem: p.sysctl.tcp_wmem,
    rmem_max: p.sysctl.rmem_max,
  };
}

/**
 * docs/seed-claims.md: every claim of /work/shared/reference/seed-question.txt with a verdict,
 * the numbers measured on the running kernel (docs/seed-claims/measurements-<release>.json,
 * taken with docs/seed-claims/measure.sh in a private netns) and the model's numbers for each
 * builtin profile, each with the file it comes from.
 */
export function seed_claims_markdown(
  measurements: ReadonlyArray<{ file: string; m: SeedMeasurement }>,
  captures: ReadonlyArray<{ dir: string; comparison: CaptureComparison }> = [],
): string {
  const models = builtin_profiles.map(seed_model_numbers);
  /** One bullet of capture evidence: measured (repeats, spread) and simulated values of the named rows. */
  const evidence = (scenario: string, picks: ReadonlyArray<[string, string]>, what: string): string => {
    const found = captures.filter((c) => c.comparison.scenario === scenario);
    if (found.length === 0) return `- capture: no committed capture of scenario \`${scenario}\` yet (${what}).`;
    return found
      .map((c) => {
        const cells = picks.map(([metric, subject]) => {
          const r = c.comparison.rows.find((x) => x.metric === metric && x.subject === subject);
          if (!r) return `${metric} ${subject}: not recorded`;
          const spread = r.repeats.length > 1 ? ` (spread ${fmt_number(r.spread)})` : '';
          return `${metric} ${subject} measured ${fmt_number(r.measured)}${spread}, simulated ${fmt_number(r.simulated)} [${verdict_label[r.verdict]}]`;
        });
        return `- capture \`${c.dir}\` (${c.comparison.kernel_release}, ${c.comparison.repeat_count} repeat(s); ${what}): ${cells.join('; ')}.`;
      })
      .join('\n');
  };
  const ref = models[0];
  const out: string[] = [];
  const model_cells = (f: (x: (typeof models)[number]) => string): string => models.map((x) => `${x.id}: ${f(x)}`).join('; ');
  out.push('# The seed question\'s claims, checked', '');
  out.push(
    'Each claim from the seed question (../shared/reference/seed-question.txt) checked against the running kernel and the ' +
      'model. Generated by `npm run docs:validation` (validate/seed_claims.ts); do not edit by hand.',
    '',
    'Sources: **capture** = the committed captures under data/captures (r0..rN repeats) and the simulator replaying ' +
      'them, as `tcpmem validate` compares them (measured = mean over repeats; [result] = its verdict; truesize_per_segment = ' +
      'receiver r × write size / recv_q). **measured** = docs/seed-claims/measurements-<release>.json, taken by `docs/seed-claims/measure.sh` ' +
      '(loopback, inside a private network namespace, 1000 idle pairs for slab deltas ×3; slab counts are global, so ' +
      'per-pair values are approximate, R-1.3 note). **model** = the model functions named next to each number, for each ' +
      `builtin profile (${models.map((x) => x.id).join(', ')}). Rules R-x.y refer to linux-tcp-memory.md.`,
    '',
  );
  const verdicts: Array<[string, string]> = [];
  const section = (title: string, verdict: string, body: string[]): void => {
    verdicts.push([title, verdict]);
    out.push(`## "${title}"`, '', `**Verdict: ${verdict}**`, '', ...body, '');
  };

  for (const { file, m } of measurements) {
    const strides = m.slab_stride_bytes;
    // Σ over caches of the mean object delta per pair × stride; caches under 0.05 objects per pair are noise.
    const per_pair = Object.entries(m.idle_slab_objs_per_pair)
      .filter(([k]) => strides[k] !== undefined)
      .map(([k, v]) => ({ k, objs: mean(v), bytes: mean(v) * strides[k] }))
      .filter((x) => x.objs > 0.05);
    const pair_total = per_pair.reduce((a, x) => a + x.bytes, 0);
    const idle = skmem(m.idle_many_server_skmem);
    const idle_few = skmem(m.idle_10_server_skmem);
    const seq = m.one_byte_spaced_server_recvq_r;
    const first = seq[0];
    const last = seq[seq.length - 1];
    const skbs = seq.filter(([, r], i) => i === 0 || r - seq[i - 1][1] > 1).length;
    const burst = m.one_byte_burst_2000_server;
    const fill = m['fill_1000B_default_rcvbuf'];
    const fill64 = m['fill_64KiB_default_rcvbuf'];
    const flood = m['fill_1B_default_rcvbuf'];
    const src = `measured: ${file}`;

    out.push(`Kernel measured: \`${m.kernel_release}\` (${m.cpus} CPUs), ${src}.`, '');

    section(
      'an idle connection will take a few hundreds of bytes',
      'false for an established connection (≈10× more); true only for TIME_WAIT / SYN_RECV mini-sockets',
      [
        `- measured, ${m.idle_many_pairs} idle loopback pairs: skmem of every socket r=${idle.r} w=${idle.w} f=${idle.f} (no buffer memory at all; R-6.9 reclaims f to < 1 page), ` +
          `but slab objects per pair ≈ ${per_pair.map((x) => `${x.k} ${x.objs.toFixed(2)}×${strides[x.k]}`).join(', ')} = **${kib(pair_total)} per pair ≈ ${kib(pair_total / 2)} per socket** (${src}, key idle_slab_objs_per_pair).`,
        `- model (model/slab/connection_slab_objects.ts \`slab_bytes_per_connection\`, no epoll): ${model_cells((x) => `pair ${x.slab_pair_bytes} B, client ${x.slab_client_bytes} B, server ${x.slab_server_bytes} B`)}.`,
        `- model − measured (6.18): ${ref.slab_pair_bytes - Math.round(pair_total)} B per pair. The measurement script does not see the two bind buckets (they live in a merged 128-byte cache) and SLUB per-CPU slabs make the counts read slightly low (R-1.3 note); the model does not count LSM blobs (lsm_file_cache, kmalloc-192).`,
        `- A few hundred bytes is what a TIME_WAIT socket (tw_sock_TCP ${ref.time_wait_bytes} B) or a SYN_RECV request sock (${ref.syn_recv_bytes} B) costs (section 1.3; profile data/profiles).`,
        '- The tcp_sock alone is 2368 B on 6.18 (R-1.3 table); the struct has grown since the claim was made.',
        evidence('idle-pairs-1000-noepoll', [['slab_per_connection', 'TCP'], ['slab_per_connection', 'sock_inode_cache'], ['slab_per_connection', 'filp'], ['slab_per_connection', 'dentry'], ['pages_per_connection', 'all'], ['skmem_r', 'idle/server']], 'objects per connection = per pair; pages_per_connection = buffer pages'),
        evidence('idle-pairs-1000-epoll', [['slab_per_connection', 'eventpoll_epi'], ['slab_per_connection', 'eventpoll_pwq']], 'epoll adds an epitem and a pwq per socket'),
      ],
    );
    section(
      'a segment with one byte might take something like 2K',
      'right order of magnitude for one isolated segment; the exact charge depends on kernel build and link (0.8–4.3 KiB), and coalescing amortizes it',
      [
        `- measured (loopback, NODELAY, one 1-byte write every 20 ms, reader never reads): the first byte costs r = **${first[1]} B** (${src}, key one_byte_spaced_server_recvq_r).`,
        `- model (model/skb/tx_skb_truesize.ts, R-2.3/R-3.3; model/skb/rx_skb_truesize.ts, R-3.7/R-3.11): loopback/veth ${model_cells((x) => `${x.one_byte_lo} B`)}; NIC with 2 KiB RX buffers ${ref.one_byte_nic_2k} B, with a page per frame ${ref.one_byte_nic_4k} B.`,
        evidence('unread-message', [['skmem_r', 'm1/server'], ['skmem_r', 'm1000/server'], ['skmem_r', 'm16384/server']], 'one unread message of 1 B, 1000 B, 16 KiB per connection'),
        `- After ${last[0]} such bytes the receiver holds r = ${last[1]} B (${(last[1] / last[0]).toFixed(1)} B per byte) in ${skbs} skbs; ${burst.recv_q} back-to-back 1-byte writes cost r = ${burst.skmem.r} B (${(burst.skmem.r / burst.recv_q).toFixed(1)} B per byte), because the sender merged them into larger skbs (R-2.14).`,
      ],
    );
    section(
      'socket buffers (both send and receive) default to 128k',
      'half true: the receive buffer limit starts at 128 KiB (tcp_rmem[1]); the send buffer limit does not (16 KiB, then autotuned to MiBs); neither is memory in use',
      [
        `- measured: every idle established socket shows rb=${idle.rb} and tb=${idle.tb} (${src}); sysctls in the namespace tcp_rmem = ${m.sysctls['net.ipv4.tcp_rmem']}, tcp_wmem = ${m.sysctls['net.ipv4.tcp_wmem']}.`,
        `- model: rcvbuf = tcp_rmem[1] (R-5.1): ${model_cells((x) => `${x.rcvbuf_default}`)}; sndbuf after the handshake (model/window/tcp_sndbuf_expand.ts, R-2.18), loopback mss ${LO_ADVMSS}: ${model_cells((x) => `${x.sndbuf_lo}`)}; 1500-byte MTU (mss ${ETH_MSS}): ${model_cells((x) => `${x.sndbuf_mtu1500}`)}.`,
        evidence('idle-pairs-1000-noepoll', [['skmem_rb', 'idle/server'], ['skmem_tb', 'idle/server'], ['skmem_rb', 'idle/client'], ['skmem_tb', 'idle/client']], 'idle sockets'),
        `- These are limits: the idle sockets above hold r=w=0 bytes. The initial receive window is tcp_full_space(rcvbuf) (model/window/tcp_win_from_space.ts, R-5.5/R-5.7): ${model_cells((x) => `${x.initial_window} B`)}.`,
      ],
    );
    section(
      'as the number of connections increases, these buffers will be reduced [at most till the specified min value]',
      'false as stated: buffer limits do not depend on the connection count; only global TCP memory pressure (tcp_mem) clamps them, and tcp_rmem[0]/tcp_wmem[0] are a per-socket guarantee under pressure, not a target',
      [
        `- measured: with 10 pairs the idle sockets show rb=${idle_few.rb} tb=${idle_few.tb}; with ${m.idle_many_pairs} pairs rb=${idle.rb} tb=${idle.tb} — unchanged (${src}).`,
        `- model: pressure starts when the global page count exceeds tcp_mem[1] (R-6.4 step 4; model/mem/tcp_init_mem.ts \`tcp_mem_of\`): ${model_cells((x) => `tcp_mem = ${x.tcp_mem.join(' ')} pages for the profile's machine (pressure above ${kib(x.tcp_mem[1] * 4096)} of TCP buffers in the whole machine)`)}. Under pressure rcv_ssthresh is capped to 4×advmss (R-5.9, R-6.12), sndbuf is moderated toward w/2 (R-6.4 step 9), and allocations still succeed while r < tcp_rmem[0] or w < tcp_wmem[0] (R-6.4 step 6).`,
        evidence('idle-pairs-100-noepoll', [['skmem_rb', 'idle/server'], ['skmem_tb', 'idle/server']], '100 pairs'),
        evidence('idle-pairs-4000-noepoll', [['skmem_rb', 'idle/server'], ['skmem_tb', 'idle/server']], '4000 pairs'),
        '- Whether many *busy* connections reach that point is a sizing question: `tcpmem plan` answers it per workload.',
      ],
    );
    section(
      'net.core.rmem_max/wmem_max = 131071, rmem_default/wmem_default = 126976, tcp_rmem = 4096 87380 4194304',
      'outdated: those were the defaults of old kernels; today rmem_max/wmem_max default to 212992 and tcp_rmem[1] is 131072 (since 4.20), tcp_rmem[2] 6 MiB (6.1) or 32 MiB (6.16+)',
      [
        `- measured on this host: rmem_max = ${m.sysctls['net.core.rmem_max']}, wmem_max = ${m.sysctls['net.core.wmem_max']} (raised by the host's configuration), rmem_default = ${m.sysctls['net.core.rmem_default']}, tcp_rmem = ${m.sysctls['net.ipv4.tcp_rmem']}, tcp_wmem = ${m.sysctls['net.ipv4.tcp_wmem']} (${src}).`,
        `- profiles (data/profiles): ${model_cells((x) => `tcp_rmem ${x.tcp_rmem.join(' ')}, tcp_wmem ${x.tcp_wmem.join(' ')}, rmem_max ${x.rmem_max}`)}.`,
        '- 87380 → 131072: commit a337531b942b (v4.20), users-and-figures.md §1d. rmem_max only caps SO_RCVBUF (R-5.2); autotuning is capped by tcp_rmem[2] instead.',
      ],
    );
    section(
      'the window size can roughly limit this consumption',
      'true for the receiver (its r stays near rcvbuf, ~2× the window it advertised); false for the sender, whose queue is bounded by sndbuf (autotuned up to tcp_wmem[2]), not by the peer\'s window; tiny segments can even grow rcvbuf',
      [
        `- measured, 1000-byte writes into a reader that never reads: receiver r = ${fill.server.skmem.r} B for ${fill.server.recv_q} B queued (rb ${fill.server.skmem.rb}); the **sender** holds w = ${fill.client.skmem.w} B (tb ${fill.client.skmem.tb}) — one stalled connection ≈ ${kib(fill.server.skmem.r + fill.client.skmem.w)} (${src}, key fill_1000B_default_rcvbuf).`,
        `- measured, 64 KiB writes: receiver r = ${fill64.server.skmem.r} for ${fill64.server.recv_q} B queued; sender w = ${fill64.client.skmem.w} (key fill_64KiB_default_rcvbuf).`,
        `- measured, 1-byte writes: receiver r = ${flood.server.skmem.r} B for ${flood.server.recv_q} B queued, and rb grew from 131072 to ${flood.server.skmem.rb} (tcp_clamp_window raises rcvbuf to r, R-5.16); sender w = ${flood.client.skmem.w} (key fill_1B_default_rcvbuf).`,
        evidence('fill-default', [['skmem_r', 'fill64k/server'], ['skmem_rb', 'fill64k/server'], ['recv_q', 'fill64k/server'], ['skmem_w', 'fill64k/client'], ['skmem_tb', 'fill64k/client']], '64 KiB writes until EAGAIN, reader never reads'),
        evidence('fill-small-writes', [['skmem_r', 'fill10b/server'], ['skmem_rb', 'fill10b/server'], ['recv_q', 'fill10b/server']], '10-byte writes until EAGAIN'),
        `- model: r is bounded by rcvbuf plus one skb (R-4.12, R-5.13), the window by tcp_win_from_space(rcvbuf) (R-5.5): ${model_cells((x) => `${x.initial_window} B for rcvbuf ${x.rcvbuf_default}`)}; the write queue by sndbuf (R-2.2): ${model_cells((x) => `up to tcp_wmem[2] = ${x.tcp_wmem[2]}`)}.`,
      ],
    );
    section(
      'TCP tries to reduce this, for example by merging segments into a single sk_buff, but it doesn\'t always succeed',
      'true: the receiver coalesces at most 17 frag-carrying segments per skb, and only into an skb the sender has already released (loopback/veth clone rule)',
      [
        `- measured: ${last[0]} spaced 1-byte segments → r grows by 1 B per segment except ${skbs} times, when a new ${first[1]}-byte skb starts: r = ${seq.map(([, r]) => r).filter((r, i, a) => i === 0 || r - a[i - 1] > 1).join(', ')} at segments ${seq.map(([q], i) => [q, i] as const).filter(([, i]) => i === 0 || seq[i][1] - seq[i - 1][1] > 1).map(([q]) => q).join(', ')}; the namespace counted TCPRcvCoalesce = ${m.netns_tcpext.TCPRcvCoalesce ?? '—'} over all experiments (${src}).`,
        evidence('small-writes-nodelay-spaced', [['truesize_per_segment', 'w1/server'], ['skmem_r', 'w1/server'], ['counter_deltas', 'TCPRcvCoalesce']], '30 spaced 1-byte NODELAY writes per connection'),
        evidence('small-writes-nagle-b2b', [['truesize_per_segment', 'w1/server'], ['skmem_r', 'w1/server']], '30 back-to-back 1-byte writes, Nagle on'),
        '- model: skb_try_coalesce adds only the payload (R-4.7, R-4.8) up to MAX_SKB_FRAGS = 17 frags per skb; a cloned tail (sender has not yet processed the ACK) cannot be coalesced into (R-4.2, R-4.9) — R-4.10 predicts the pattern 833, +1 ×16, then a new skb.',
        '- When coalescing fails and the queue passes rcvbuf, the kernel collapses the queue into 4 KiB linear skbs (R-4.16) or prunes (R-4.13).',
      ],
    );
  }
  if (measurements.length === 0) out.push('No measurement file under docs/seed-claims/ yet: run `docs/seed-claims/measure.sh` as root.', '');
  const summary = ['## Summary', '', '| claim | verdict |', '| --- | --- |', ...verdicts.map(([c, v]) => `| ${c} | ${v} |`), ''];
  out.splice(6, 0, ...summary);
  return out.join('\n');
}
