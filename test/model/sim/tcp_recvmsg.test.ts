import { describe, expect, it } from 'vitest';
import { parse_scenario } from '../../../model/scenario/parse_scenario';
import { get_builtin_profile } from '../../../model/profile/builtin_profiles';
import type { KernelProfile } from '../../../model/profile/kernel_profile';
import { simulate } from '../../../model/sim';
import type { SimContext } from '../../../model/sim/sim_context';
import { tcp_recvmsg_hold_ns } from '../../../model/sim/tcp_recvmsg';
import { reader_cycle_ns } from '../../../model/sim/programs';
import type { SocketSample } from '../../../model/run_output/run_output';
import { DEB, REF, one_group } from './helpers';

const ref = get_builtin_profile(REF);

/** The reference profile with round reader costs, so that times can be derived by hand. */
function with_reader_cost(call_ns: number, copy_bytes_per_us: number, reader_bytes_per_us: number): KernelProfile {
  return {
    ...ref,
    reader_cost: {
      recvmsg_call_ns: call_ns,
      recvmsg_copy_bytes_per_us: copy_bytes_per_us,
      reader_bytes_per_us: { loopback: reader_bytes_per_us, veth: reader_bytes_per_us },
      provenance: 'unit test',
    },
  };
}

function row(rows: SocketSample[], t_ms: number, side: 'client' | 'server'): SocketSample {
  const r = rows.find((x) => x.t_ms === t_ms && x.side === side);
  if (!r) throw new Error(`no ${side} row at ${t_ms}`);
  return r;
}

/** Ten 1000-byte NODELAY writes 1 ms apart (t = 0 … 9 ms) to a continuous reader, sampled every 5 ms. */
const ten_spaced_writes = one_group(
  {
    writer_sockopts: { tcp_nodelay: true },
    writer: { program: { kind: 'writes', steps: [{ size_bytes: 1000, count: 10, spacing_ms: 1 }] } },
    reader: { kind: 'continuous', read_bytes: 65536 },
  },
  { sampling: { interval_ms: 5, duration_ms: 15 } },
);

describe('recvmsg takes time: the socket hold and the reader cycle (profile reader_cost, R-4.11)', () => {
  it('holds the socket for the measured per-call cost plus the copy of the bytes read', () => {
    // 6.18 reference: 472 ns + bytes / 21,880 bytes per µs. 65536 B: 472 + 65,536,000 / 21,880 =
    // 472 + 2995.25 = 3467.25 → 3468 ns (rounded up); 1 B: 472 + 0.046 → 473 ns.
    const ctx = { p: ref } as SimContext;
    expect(tcp_recvmsg_hold_ns(ctx, 65536)).toBe(3468);
    expect(tcp_recvmsg_hold_ns(ctx, 1)).toBe(473);
    // Debian 6.1 guest: 2160 + 65,536,000 / 4780 = 2160 + 13,710.46 → 15,871 ns
    expect(tcp_recvmsg_hold_ns({ p: get_builtin_profile(DEB) } as SimContext, 65536)).toBe(15871);
  });

  it('takes no time when the profile has no reader cost (derived host profiles)', () => {
    const bare: KernelProfile = { ...ref, reader_cost: undefined };
    expect(tcp_recvmsg_hold_ns({ p: bare } as SimContext, 65536)).toBe(0);
    expect(reader_cycle_ns({ p: bare, link: { kind: 'loopback' } } as SimContext, 65536)).toBe(0);
  });

  it('gives the reading task one cycle per read at the captured reader rate of the link', () => {
    // 65536 B at 174 B/µs (lo) = 376,643.7 → 376,644 ns; at 91 B/µs (veth) = 720,175.8 → 720,176 ns. Both are
    // far above the socket hold (3468 ns): the captured reader spends its time outside lock_sock.
    expect(reader_cycle_ns({ p: ref, link: { kind: 'loopback' } } as SimContext, 65536)).toBe(376644);
    expect(reader_cycle_ns({ p: ref, link: { kind: 'veth' } } as SimContext, 65536)).toBe(720176);
  });

  it('lets a queue build while the reader is busy and reads it all in its next call', () => {
    // reader_cost: 1000 ns per call, 1000 B/µs copy, reader 0.1 B/µs. Write 1 (t = 0) arrives at once, the
    // reader takes the socket at t = 0 and copies 1000 B by 1000 + 1000 = 2000 ns; its cycle is
    // max(2000, 1000 × 1000 / 0.1) = 10 ms, so its next recv() is at t = 10 ms. Writes 2..5 (t = 1..4 ms)
    // wait in the receive queue: at t = 5 ms Recv-Q = 4000. They arrive one per ms, each quick-ACKed,
    // so the sender frees its original before the next one and the tail is no longer a clone: write 2
    // is a new skb of 832 + 1000 = 1832, writes 3..5 coalesce at their payload:
    // r = 1832 + 3 × 1000 = 4832. At t = 10 ms (sampled before the read of that instant) writes 2..10 are
    // queued: Recv-Q 9000. The read at t = 10 ms takes all 9000 (< read_bytes): at t = 15 ms Recv-Q 0 and
    // 10,000 bytes were read.
    const p = with_reader_cost(1000, 1000, 0.1);
    const rows = simulate(parse_scenario(ten_spaced_writes, 'simulate'), p).run.sockets;
    expect(row(rows, 5, 'server').recv_q_bytes).toBe(4000);
    expect(row(rows, 5, 'server').r_bytes).toBe(4832);
    expect(row(rows, 5, 'server').bytes_read).toBe(1000);
    expect(row(rows, 10, 'server').recv_q_bytes).toBe(9000);
    expect(row(rows, 15, 'server').recv_q_bytes).toBe(0);
    expect(row(rows, 15, 'server').bytes_read).toBe(10000);
  });

  it('keeps nothing queued when reads take no time', () => {
    // the same writes with a reader that reads in zero time: every write is read at the instant it arrives
    const rows = simulate(parse_scenario(ten_spaced_writes, 'simulate'), { ...ref, reader_cost: undefined }).run.sockets;
    expect(row(rows, 5, 'server').recv_q_bytes).toBe(0);
    expect(row(rows, 5, 'server').bytes_read).toBe(5000);
  });
});

describe('a rate writer at stop_ms (the capture runner issues no new write, but flushes what it queued)', () => {
  it('keeps flushing its queued messages after stop_ms once the reader frees space', () => {
    // Ten 64 KiB messages at 1000/s (t = 0 … 9 ms, stop_ms 10) with SO_SNDBUF 4096 (sndbuf 8192, locked):
    // the writer blocks once its 8 KiB of send buffer and the reader's 64 KiB window are full; the reader
    // starts at 20 ms, after stop_ms. Every message issued before stop_ms is still sent: by 300 ms all
    // 10 × 65536 = 655,360 bytes are written and read (the reader needs about 655,360 / 174 B/µs = 3.8 ms).
    // The flush is paced by delayed ACKs: once the receiver's RTT estimate comes from its own samples
    // (tcp_rcv_rtt.ts) DRS grows rb only to ~370 KB here, so a read's window update is not worth sending
    // (new window < 2 × the remaining one, R-5.15), and the locked 8 KiB sndbuf lets one 65,483-byte skb
    // out per 40 ms delayed ACK: the ≈ 268 KB left after the 50 ms burst (4–5 skbs) are through by ≈ 250 ms.
    const scenario = one_group(
      {
        writer_sockopts: { so_sndbuf: 4096 },
        writer: { stop_ms: 10, program: { kind: 'rate', size_bytes: 65536, messages_per_s: 1000, stagger: false } },
        reader: { kind: 'continuous', read_bytes: 65536, start_ms: 20 },
      },
      { sampling: { interval_ms: 10, duration_ms: 300 } },
    );
    const rows = simulate(parse_scenario(scenario, 'simulate'), ref).run.sockets;
    expect(row(rows, 10, 'client').bytes_written).toBeLessThan(655360);
    expect(row(rows, 300, 'client').bytes_written).toBe(655360);
    expect(row(rows, 300, 'server').bytes_read).toBe(655360);
  });
});
