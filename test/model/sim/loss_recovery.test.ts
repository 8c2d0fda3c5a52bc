import { describe, expect, it } from 'vitest';
import type { SimResult } from '../../../model/sim';
import type { SocketSample } from '../../../model/run_output/run_output';
import { one_group, run } from './helpers';

/**
 * Link loss, the receiver's OFO queue and the sender's SACK/RACK recovery (issue 4), pinned on scenarios
 * small enough to follow segment by segment. Loss `at` numbers count the data segments sent to the server,
 * retransmissions included (link_loss.ts). On loopback the RTT is 0 in the model, so RACK's reordering
 * window is 0 and a hole is declared lost at the first SACK of a segment sent after it (tcp_rack.ts).
 */
const writes = (size: number, count: number, spacing_ms: number) => ({
  writer_sockopts: { tcp_nodelay: true },
  writer: { program: { kind: 'writes', steps: [{ size_bytes: size, count, spacing_ms }] } },
});
/** NODELAY writes alternating between two sizes, `pairs` times: neighbours have different segment lengths, so
 * the sender never merges their SACKed skbs (tcp_shift_skb_data needs equal tcp_skb_seglen) and the
 * receiver's OFO copies stay clones. */
const alternating = (a: number, b: number, pairs: number) => ({
  writer_sockopts: { tcp_nodelay: true },
  writer: {
    program: { kind: 'writes', steps: [{ size_bytes: a, count: 1, spacing_ms: 1 }, { size_bytes: b, count: 1, spacing_ms: 1 }], repeat: pairs },
  },
});
const lossy = (at: number[], sampling: { interval_ms: number; duration_ms: number }) => ({
  kernel: { loss: { kind: 'deterministic', direction: 'to_server', at } },
  sampling,
});
function row(r: SimResult, t_ms: number, side: 'client' | 'server'): SocketSample {
  const x = r.run.sockets.find((s) => s.t_ms === t_ms && s.side === side);
  if (!x) throw new Error(`no ${side} row at ${t_ms}`);
  return x;
}
function counter(r: SimResult, t_ms: number, name: string): number | null {
  const g = r.run.global.find((x) => x.t_ms === t_ms);
  return (g?.values[`counter_${name}_count`] as number | null) ?? null;
}

describe('loss recovery on loopback: a hole held open by a lost retransmission', () => {
  // Four 1000-byte NODELAY writes at 0, 10, 20, 30 ms into a silent reader; segments #2 and #4 are lost.
  //  0 ms  #1 = write 1 arrives in order (truesize 832 + 1000 = 1832, R-3.3), quick-ACKed: the sender
  //        frees its original, so the receiver's skb is no longer a clone.
  // 10 ms  #2 = write 2 is lost.
  // 20 ms  #3 = write 3 arrives beyond rcv_nxt 1000: OFO queue, r += 1832 (a clone: its original stays
  //        SACKed at the sender). The immediate ACK carries the SACK; RACK: write 2 was sent 10 ms before
  //        the SACKed write 3 and rtt + reo_wnd = 0 → lost; Recovery (TCPSackRecovery 1), fast
  //        retransmit #4 (TCPFastRetrans 1) — lost again.
  // 30 ms  #5 = write 4 arrives: OFO, its tail write 3 is cloned so no coalescing, r += 1832. Its SACK
  //        makes RACK mark the retransmission (sent at 20 ms) lost (TCPLostRetransmit 1) and resend it:
  //        #6 (TCPFastRetrans 2) arrives in order, coalesces into the uncloned write-1 skb (+1000, R-4.7),
  //        and tcp_ofo_queue moves writes 3 and 4 behind it: each coalesces (+1000) and its own skb is
  //        freed (−1832). r = 832 + 4 × 1000 = 4832, one skb, TCPRcvCoalesce 3, TCPOFOQueue 2.
  const scenario = one_group(writes(1000, 4, 10), lossy([2, 4], { interval_ms: 5, duration_ms: 40 }));
  const res = run(scenario);

  it('puts the segment after a lost one in the OFO queue, charged its full truesize to r (R-3.1)', () => {
    // at 25 ms: write 1 in the receive queue (1832) + write 3 in the OFO queue (1832); Recv-Q counts only
    // in-order bytes.
    const srv = row(res, 25, 'server');
    expect([srv.r_bytes, srv.recv_q_bytes, srv.bytes_received]).toEqual([3664, 1000, 1000]);
    expect(counter(res, 25, 'TCPOFOQueue')).toBe(1);
  });

  it('keeps the SACKed skb in w until the cumulative ACK passes it (R-2.10)', () => {
    // at 25 ms the sender holds write 2 (lost, retransmitted) and write 3 (SACKed): w = 2 × 1832.
    const cli = row(res, 25, 'client');
    expect([cli.w_bytes, cli.send_q_bytes]).toEqual([3664, 2000]);
    // at 35 ms the retransmission filled the hole and the cumulative ACK freed everything
    expect(row(res, 35, 'client').w_bytes).toBe(0);
  });

  it('marks the hole lost with RACK, retransmits it, and detects the lost retransmission', () => {
    expect(counter(res, 25, 'TCPSackRecovery')).toBe(1);
    expect(counter(res, 25, 'TCPFastRetrans')).toBe(1);
    expect(counter(res, 35, 'TCPLostRetransmit')).toBe(1);
    expect(counter(res, 35, 'TCPFastRetrans')).toBe(2);
    expect(counter(res, 35, 'TCPSackRecovery')).toBe(1);
  });

  it('moves the OFO skbs to the receive queue once the retransmission fills the hole (tcp_ofo_queue)', () => {
    const srv = row(res, 35, 'server');
    expect([srv.r_bytes, srv.recv_q_bytes, srv.d_count]).toEqual([4832, 4000, 0]);
    expect(counter(res, 35, 'TCPOFOQueue')).toBe(2);
    expect(counter(res, 35, 'TCPRcvCoalesce')).toBe(3);
  });
});

describe('OFO coalescing on a NIC link (tcp_ooo_try_coalesce, R-4.1, R-4.6)', () => {
  it('steals the head of a segment that continues the OFO tail: r grows by truesize − 256', () => {
    // NIC, 2 KiB page-frag RX buffers, RTT 10 ms, 1 Gbit/s: each 1000-byte write is one build_skb skb of
    // truesize 2048 + 256 = 2304, not a clone. Writes every 1 ms; #2 (sent at 1 ms) is lost.
    // Arrivals (+5 ms one way, +8.4 µs on the wire): #1 at 5 ms (receive queue, 2304); #3 at 7 ms, the
    // first OFO skb (2304); #4 at 8 ms and #5 at 9 ms continue the OFO tail, which is not cloned: the head
    // is stolen, delta = 2304 − 256 = 2048 each. The SACKs reach the sender 5 ms later, so at
    // 10 ms nothing has been retransmitted yet: r = 2304 + 2304 + 2 × 2048 = 8704, TCPOFOQueue 3,
    // TCPRcvCoalesce 2.
    const res = run(
      one_group(writes(1000, 10, 1), {
        kernel: {
          link: { kind: 'nic', mtu: 1500, bandwidth_bits_per_s: 1e9, rtt_ms: 10, rx_buffer: 'page_frag_2k' },
          loss: { kind: 'deterministic', direction: 'to_server', at: [2] },
        },
        sampling: { interval_ms: 10, duration_ms: 10 },
      }),
    );
    const srv = row(res, 10, 'server');
    expect([srv.r_bytes, srv.recv_q_bytes]).toEqual([8704, 1000]);
    expect(counter(res, 10, 'TCPOFOQueue')).toBe(3);
    expect(counter(res, 10, 'TCPRcvCoalesce')).toBe(2);
  });
});

describe('OFO collapse when r passes rcvbuf (tcp_collapse_ofo_queue, R-4.13, R-4.16, R-4.17)', () => {
  it('copies a bloated OFO range into one linear skb before anything is pruned', () => {
    // SO_RCVBUF 4096 → rcvbuf 8192, locked (R-5.2: tcp_clamp_window cannot grow it). Ten NODELAY writes 1 ms
    // apart of 100 and 101 bytes in turn (truesize 932 / 933; shorter than rcv_mss, so the ratio stays 128;
    // unequal neighbours, so no SACK merging). Every retransmission of write 2 before the 9th is lost: #2
    // (write 2), then #4, #6, …, #16 (each SACK marks the last one lost). Writes 3..10 (804 bytes, bytes
    // 201..1005) wait in the OFO queue, all clones: r = 932 + 4 × 932 + 4 × 933 = 8392 > 8192 (r ≤ rcvbuf is
    // tested before adding, R-4.12, so write 10 got in at 7459). #18, write 2 again, arrives in order:
    // tcp_try_rmem_schedule fails (r > rcvbuf) → tcp_prune_queue (PruneCalled 1): the clamp cannot grow;
    // tcp_collapse_ofo_queue: one range of 8 skbs, write 3 is bloated (932 × 128/256 = 466 > 100) → the 804
    // bytes go into alloc_skb(804): SKB_DATA_ALIGN(804) + 320 = 1152 → kmalloc-2k, truesize 2048 + 256 = 2304;
    // r = 8392 − 7460 + 2304 = 3236 (TCPRcvCollapsed 8); then the receive queue: write 1 (bloated) →
    // alloc_skb(100): 128 + 320 = 448 ≤ 576 → small head, 832; r = 3136 (TCPRcvCollapsed 9). r ≤ rcvbuf: no
    // prune. Write 2 is copied into the linear skb's tailroom (832 − 576 − 100 = 156 ≥ 101, R-4.4: delta 0,
    // TCPRcvCoalesce 1); the collapsed OFO skb (kmalloc head, R-4.6) is appended as it is: r = 3136,
    // Recv-Q 1005, nothing dropped.
    const res = run(
      one_group(
        { ...alternating(100, 101, 5), reader_sockopts: { so_rcvbuf: 4096 } },
        lossy([2, 4, 6, 8, 10, 12, 14, 16], { interval_ms: 20, duration_ms: 20 }),
      ),
    );
    const srv = row(res, 20, 'server');
    expect([srv.rb_bytes, srv.r_bytes, srv.recv_q_bytes, srv.d_count]).toEqual([8192, 3136, 1005, 0]);
    expect(counter(res, 20, 'PruneCalled')).toBe(1);
    expect(counter(res, 20, 'TCPRcvCollapsed')).toBe(9);
    expect(counter(res, 20, 'TCPRcvCoalesce')).toBe(1);
    expect(counter(res, 20, 'OfoPruned')).toBe(0);
    expect(counter(res, 20, 'TCPOFOQueue')).toBe(8);
    expect(counter(res, 20, 'TCPSackMerged')).toBe(0);
  });
});

describe('OFO drop and prune under a memcg limit (tcp_try_rmem_schedule, R-4.14, R-4.18, R-6.15)', () => {
  // The reader's socket is in a memcg whose TCP limit is 3 pages. Ten NODELAY writes 1 ms apart of 1000 and
  // 1001 bytes in turn (truesize 1832 / 1833; unequal neighbours: no SACK merging, the OFO copies stay
  // clones); #2 (write 2) and its retransmissions #4 … #12 are lost, so the hole stays open. Pages: write 1
  // takes page 1 (f 2264); OFO writes 3..7 take pages 2 and 3 (r = 3 × 1832 + 2 × 1833 + 1832 = 10994,
  // f = 1294). Write 8 needs a 4th page: the memcg refuses → tcp_prune_queue (PruneCalled; r ≤
  // rcvbuf, so it returns at once) → the scheduling loop asks tcp_prune_ofo_queue, which never drops below
  // the incoming skb (write 8 is above them all) → TCPOFODrop, sk_drops, no ACK. Same for writes 9 and 10:
  // d = 3. With no SACK the sender only learns at its RTO (200 ms after write 2 was first sent): it goes back
  // to write 2, which arrives in order and also needs a 4th page: the loop prunes the OFO queue from the
  // top (writes 7, 6, 5, 4, 3: rcvbuf/8 = 16384 is more than their 9162 bytes and the memcg is still under
  // pressure, so all go; OfoPruned 1, d = 8), two pages return to the memcg, and write 2 fits. The resent
  // writes then arrive in order and coalesce into write 1's skb (not a clone any more): r = 832 + 10005.
  const res = run(
    one_group(alternating(1000, 1001, 5), {
      kernel: {
        memcg: { tcp_limit_bytes: 3 * 4096, holds: 'readers' },
        loss: { kind: 'deterministic', direction: 'to_server', at: [2, 4, 6, 8, 10, 12] },
      },
      sampling: { interval_ms: 100, duration_ms: 1000 },
    }),
  );

  it('drops OFO segments the memcg cannot charge, and keeps the queued ones', () => {
    const srv = row(res, 100, 'server');
    expect([srv.r_bytes, srv.recv_q_bytes, srv.d_count]).toEqual([10994, 1000, 3]);
    expect(counter(res, 100, 'TCPOFOQueue')).toBe(5);
    expect(counter(res, 100, 'TCPOFODrop')).toBe(3);
    expect(counter(res, 100, 'OfoPruned')).toBe(0);
    expect(res.run.global.find((g) => g.t_ms === 100)!.values.memcg_tcp_usage_bytes).toBe(3 * 4096);
  });

  it('prunes the whole OFO queue to admit the in-order retransmission (OfoPruned once)', () => {
    const srv = row(res, 1000, 'server');
    expect([srv.r_bytes, srv.recv_q_bytes, srv.d_count]).toEqual([10837, 10005, 8]);
    expect(counter(res, 1000, 'OfoPruned')).toBe(1);
    expect(counter(res, 1000, 'TCPOFODrop')).toBe(3);
  });
});

describe('SACK merging (tcp_shift_skb_data)', () => {
  // Five 100-byte NODELAY writes 1 ms apart (truesize 932); #2 (write 2, sent at 1 ms) and its first two
  // retransmissions (#4, #6) are lost.
  // 2 ms: write 3 → OFO (a clone: its original stays SACKed), SACK, RACK, retransmission #4 lost.
  // 3 ms: write 4 → OFO; the tail (write 3) is a clone, so a new skb (932). Its SACK: write 4 has the same
  //       length as write 3, continues it, and write 3 is SACKed → merged (TCPSackMerged 1): the sender frees
  //       write 4's empty skb (w −= 832) and the receiver's copy of write 4 stops being a clone (R-4.9).
  //       RACK marks the retransmission lost, #6 lost too.
  //       At 3.5 ms: r = 932 (write 1) + 932 + 932 = 2796; sender w = write 2 (932) + write 3+4 (1032) = 1964.
  // 4 ms: write 5 → OFO; the tail, write 4's copy, is no longer a clone → it coalesces (+100,
  //       tcp_ooo_try_coalesce); its SACK merges it into write 3 at the sender (TCPSackMerged 2); #8 gets
  //       through and fills the hole: write 2 into write 1 (+100), then write 3 (+100 − 932) and the
  //       write-4+5 skb (+200 − 1032) move and coalesce: r = 832 + 500 = 1332; TCPRcvCoalesce 4.
  const res = run(one_group(writes(100, 5, 1), lossy([2, 4, 6], { interval_ms: 3.5, duration_ms: 7 })));

  it('keeps the merged skb in w without the freed skb\'s empty 832 bytes', () => {
    expect(counter(res, 3.5, 'TCPSackMerged')).toBe(1);
    expect(row(res, 3.5, 'client').w_bytes).toBe(1964);
    expect(row(res, 3.5, 'server').r_bytes).toBe(2796);
  });

  it('lets the next OFO segment coalesce into the receiver\'s copy of the merged skb', () => {
    expect(counter(res, 7, 'TCPSackMerged')).toBe(2);
    expect(counter(res, 7, 'TCPOFOQueue')).toBe(3);
    expect(counter(res, 7, 'TCPRcvCoalesce')).toBe(4);
    const srv = row(res, 7, 'server');
    expect([srv.r_bytes, srv.recv_q_bytes, srv.d_count]).toEqual([1332, 500, 0]);
    expect(row(res, 7, 'client').w_bytes).toBe(0);
  });
});
