import { describe, expect, it } from 'vitest';
import { last_global, last_row, one_group, run } from './helpers';

describe('simulate: receive-window bounds, zero window and persist probes (R-5.10..5.14)', () => {
  it('fills a non-reading SO_RCVBUF 4096 receiver to 6096 bytes and then holds a zero window', () => {
    // rb = 8192, window_clamp 4096, wscale 0, initial window 4096; the client's mss is
    // half the peer's max window: 2048. Four NODELAY writes of 2000 B, 100 ms apart:
    //  #1: truesize 2832, r = 2832; ratio = floor(2000·256/2832) = 180 → clamp = 8192·180/256 = 5760
    //      quick ACK: free = (8192−2832)·180/256 = 3768, unscaled window rounddown(3768, 2000)
    //      = 2000 < what remains (2096) → the right edge 4096 is kept.
    //  #2: coalesced (tail un-cloned by the ACK): +2000 → r = 4832; free = 2362 < 5760/2 → quick off;
    //      window stays 2096 → right edge 6096.
    //  #3: +2000 → r = 6832; delayed ACK (2000 is not > rcv_mss 2000): free = 956 < mss → wish 0
    //      (TCPWantZeroWindowAdv) but the edge 6096 is kept: 96 bytes left.
    //  #4: does not fit; the persist timer (200 ms) sends the 96 bytes that fit (the skb is split,
    //      r = 6832 + 96 = 6928, Recv-Q 6096, window 0 (TCPToZeroWindowAdv); the next probe
    //      is a zero-window probe, dropped and counted in d.
    //  Sender: the unsent 1904 B sit in the split-off skb: w = 832 + 1904 = 2736.
    const r = run(
      one_group({
        reader_sockopts: { so_rcvbuf: 4096 },
        writer_sockopts: { tcp_nodelay: true },
        writer: { program: { kind: 'writes', steps: [{ size_bytes: 2000, count: 4, spacing_ms: 100 }] } },
      }),
    );
    const srv = last_row(r, 'server');
    const cli = last_row(r, 'client');
    expect(srv.rb_bytes).toBe(8192);
    expect(srv.r_bytes).toBe(6928);
    expect(srv.recv_q_bytes).toBe(6096);
    expect(srv.rcv_wnd_bytes).toBe(0);
    expect(srv.d_count).toBe(1);
    expect(cli.w_bytes).toBe(2736);
    expect(cli.notsent_bytes).toBe(1904);
    expect(cli.snd_wnd_bytes).toBe(0);
    const g = last_global(r);
    expect(g.counter_TCPWantZeroWindowAdv_count).toBe(1);
    expect(g.counter_TCPToZeroWindowAdv_count).toBe(1);
  });

  it('collapses a queue of bloated clones into one linear skb when r passes a locked rcvbuf', () => {
    // rb 8192 (SO_RCVBUF 4096), 120 NODELAY 1-byte writes 7 ms apart (7 is prime to the 40 ms delayed
    // ACK, so no write and no ACK coincide), never read. The quick-ACK budget is 4096 / (2·536) = 3
    // then ACKs come every 40 ms. A tail skb takes up to 17 one-byte frags while it
    // is not cloned; a new skb (833) stays cloned until the next delayed ACK frees the sender's original
    // so r grows by about two 833-byte skbs per 40 ms and passes 8192 before the 120th write.
    // Then tcp_prune_queue (PruneCalled 1, R-4.13): rcvbuf is locked so the clamp cannot grow it;
    // every skb is "bloated" (833 × 128/256 > its few bytes) so tcp_collapse copies the whole queue
    // (< 256 bytes) into one alloc_skb → small head, truesize 832, freeing the old skbs
    // (TCPRcvCollapsed ≥ 2). Later segments are copied into its tailroom at no cost: 120 bytes
    // fit in 256. So r = 832, Recv-Q 120, f = 4096 − 832, no RcvPruned.
    // One drop: a tail loss probe. Writes 4 (t = 21 ms) and 5 (t = 28) wait for the delayed ACK
    // due at 61 ms; with 2 packets out and srtt ≈ 0 the PTO is 1 jiffy, so at 32 ms the sender resends
    // byte 4; the receiver drops the duplicate (d = 1, TCPLossProbes 1) and ACKs at once. Later delayed
    // ACKs raise srtt (PTO 2 jiffies and more) while the next write, 7 ms later, keeps re-arming it.
    const r = run(
      one_group({
        reader_sockopts: { so_rcvbuf: 4096 },
        writer_sockopts: { tcp_nodelay: true },
        writer: { program: { kind: 'writes', steps: [{ size_bytes: 1, count: 120, spacing_ms: 7 }] } },
      }),
    );
    const srv = last_row(r, 'server');
    expect(srv.r_bytes).toBe(832);
    expect(srv.recv_q_bytes).toBe(120);
    expect(srv.f_bytes).toBe(4096 - 832);
    expect(srv.d_count).toBe(1);
    const g = last_global(r);
    expect(g.counter_TCPLossProbes_count).toBe(1);
    expect(g.counter_PruneCalled_count).toBe(1);
    expect(g.counter_TCPRcvCollapsed_count).toBeGreaterThanOrEqual(2);
    expect(g.counter_RcvPruned_count).toBe(0);
  });
});
