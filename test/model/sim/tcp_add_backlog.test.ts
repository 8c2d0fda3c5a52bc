import { describe, expect, it } from 'vitest';
import { parse_scenario } from '../../../model/scenario/parse_scenario';
import { get_builtin_profile } from '../../../model/profile/builtin_profiles';
import type { KernelProfile } from '../../../model/profile/kernel_profile';
import { simulate, type SimResult } from '../../../model/sim';
import type { SimContext } from '../../../model/sim/sim_context';
import { tcp_backlog_limit_bytes } from '../../../model/sim/tcp_add_backlog';
import type { SocketSample } from '../../../model/run_output/run_output';
import { DEB, REF, one_group } from './helpers';

const ref = get_builtin_profile(REF);

/**
 * The reference profile with a reader whose recv() holds the socket for 2.5 ms (+ 1 ns per byte) and whose
 * cycle is no longer than that: a segment arriving within 2.5 ms of a read goes to the backlog.
 */
function slow_lock(extra: Partial<KernelProfile> = {}): KernelProfile {
  return {
    ...ref,
    reader_cost: {
      recvmsg_call_ns: 2_500_000,
      recvmsg_copy_bytes_per_us: 1000,
      reader_bytes_per_us: { loopback: 1e6, veth: 1e6, nic: 1e6 },
      provenance: 'unit test',
    },
    ...extra,
  };
}

/** `count` back-to-back 1000-byte NODELAY writes (1 ns apart) to a continuous reader, sampled every ms. */
function b2b_writes(count: number, kernel: Record<string, unknown> = {}): unknown {
  return one_group(
    {
      writer_sockopts: { tcp_nodelay: true },
      writer: { program: { kind: 'writes', steps: [{ size_bytes: 1000, count }] } },
      reader: { kind: 'continuous', read_bytes: 65536 },
    },
    { kernel, sampling: { interval_ms: 1, duration_ms: 3 } },
  );
}

function sim(scenario: unknown, p: KernelProfile): SimResult {
  return simulate(parse_scenario(scenario, 'simulate'), p);
}

function row(r: SimResult, t_ms: number, side: 'client' | 'server'): SocketSample {
  const x = r.run.sockets.find((s) => s.t_ms === t_ms && s.side === side);
  if (!x) throw new Error(`no ${side} row at ${t_ms}`);
  return x;
}

function counter(r: SimResult, t_ms: number, name: string): number | null {
  const g = r.run.global.find((x) => x.t_ms === t_ms);
  if (!g) throw new Error(`no global row at ${t_ms}`);
  return g.values[`counter_${name}_count`];
}

describe('the socket backlog while the reader owns the socket (tcp_add_backlog, __release_sock, R-4.11)', () => {
  it('queues segments that arrive during recvmsg in the backlog and counts their truesize in bl', () => {
    // Three back-to-back writes on lo at t = 0, 1 ns, 2 ns. Write 1 arrives with the socket free: queued
    // (r = 832 + 1000 = 1832, R-2.3/R-3.3) and quick-ACKed; the reader wakes and takes the socket at t = 0
    // until 2.5 ms + 1000 ns. Writes 2 and 3 arrive while it is owned: backlog, bl = 2 × 1832 = 3664. They are
    // not processed, so not ACKed: the sender still has 2000 bytes unacked; Recv-Q (rcv_nxt − copied_seq)
    // counts only write 1, whose copy ends at release.
    const r = sim(b2b_writes(3), slow_lock());
    const srv = row(r, 1, 'server');
    expect(srv.bl_bytes).toBe(3664);
    expect(srv.r_bytes).toBe(1832);
    expect(srv.recv_q_bytes).toBe(1000);
    expect(row(r, 1, 'client').send_q_bytes).toBe(2000);
  });

  it('never coalesces lo/veth segments in the backlog: the tail is a clone until its ACK (R-4.2)', () => {
    // write 3 follows write 2 in sequence and in the same millisecond, but write 2's skb is a clone of the
    // sender's original, which is freed only by the ACK that processing write 2 will send: no coalescing.
    const r = sim(b2b_writes(3), slow_lock());
    expect(counter(r, 1, 'TCPBacklogCoalesce')).toBe(0);
  });

  it('coalesces a NIC segment into the backlog tail by stealing its head (R-4.6, TCPBacklogCoalesce)', () => {
    // NIC, 1 Tbit/s, RTT 2 ms, 4 KiB page-frag RX buffers. The three 1000-byte segments leave at 0, 1, 2 ns,
    // serialize in 9 ns each (1052 wire bytes), arrive at 1 ms + 9/18/27 ns, each one skb of 4096 + 256 =
    // 4352 truesize. Segment 1 finds the socket free; the reader takes it. Segment 2 goes to
    // the backlog: bl = 4352. Segment 3 is contiguous, same millisecond (same timestamp option), its tail is
    // not a clone and 0 + 0 frags < 17: its page-frag head is stolen, delta = 4352 − 256 = 4096:
    // bl = 8448, TCPBacklogCoalesce = 1.
    const nic = { link: { kind: 'nic', mtu: 1500, bandwidth_bits_per_s: 1e12, rtt_ms: 2, rx_buffer: 'page_frag_4k', gro: true } };
    const r = sim(b2b_writes(3, nic), slow_lock());
    expect(row(r, 2, 'server').bl_bytes).toBe(8448);
    expect(counter(r, 2, 'TCPBacklogCoalesce')).toBe(1);
  });

  it('processes the backlog at release_sock and resets bl to 0', () => {
    // The hold of write 1's read ends at 2.5 ms + 1000 ns: the copy frees write 1, then __release_sock queues
    // writes 2 and 3 (each quick-ACKed: the sender's Send-Q drops to 0) and bl returns to 0. The reader's
    // next recv() starts at once (its cycle is no longer than the hold) and owns the socket again while it
    // copies those 2000 bytes, so at t = 3 ms Recv-Q is 2000 and 1000 bytes were read.
    const r = sim(b2b_writes(3), slow_lock());
    const srv = row(r, 3, 'server');
    expect(srv.bl_bytes).toBe(0);
    expect(srv.recv_q_bytes).toBe(2000);
    expect(srv.bytes_read).toBe(1000);
    expect(row(r, 3, 'client').send_q_bytes).toBe(0);
  });

  it('drops a segment when r + bl exceeds the backlog limit (TCPBacklogDrop, sk_drops)', () => {
    // limit 0 (profile backlog_limit 0 × rcvbuf + 0 × sndbuf + 0): when write 2 arrives r = 1832 (write 1,
    // not yet copied) + bl 0 > 0 → refused: TCPBacklogDrop 1, d 1, bl stays 0 (the arriving skb itself is not
    // counted in the test, so an empty socket would still take one).
    const r = sim(b2b_writes(2), slow_lock({ backlog_limit: { rcvbuf_times: 0, sndbuf_times: 0, headroom_bytes: 0 } }));
    const srv = row(r, 1, 'server');
    expect(counter(r, 1, 'TCPBacklogDrop')).toBe(1);
    expect(srv.d_count).toBe(1);
    expect(srv.bl_bytes).toBe(0);
  });

  it('sets the limit at 2 × rcvbuf + sndbuf / 2 + 64 KiB on 6.18 and rcvbuf + sndbuf + 64 KiB on 6.1', () => {
    // rcvbuf 131072, sndbuf 16384: 6.18 262144 + 8192 + 65536 = 335872; 6.1 131072 + 16384 + 65536 = 212992
    const sock = { rb: Int32Array.of(131072), tb: Int32Array.of(16384) };
    expect(tcp_backlog_limit_bytes({ p: ref, sock } as unknown as SimContext, 0)).toBe(335872);
    expect(tcp_backlog_limit_bytes({ p: get_builtin_profile(DEB), sock } as unknown as SimContext, 0)).toBe(212992);
  });
});
