import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile/builtin_profiles';
import type { KernelProfile } from '../../../model/profile/kernel_profile';
import type { SimContext } from '../../../model/sim/sim_context';
import { tcp_tso_segs } from '../../../model/sim/tcp_xmit_size_goal';
import { tcp_grow_skb } from '../../../model/sim/tcp_grow_skb';
import { SkbPool } from '../../../model/sim/skb_pool';
import { REF, DEB, one_group, run } from './helpers';
import { simulate, type SimResult } from '../../../model/sim';
import { parse_scenario } from '../../../model/scenario/parse_scenario';

/**
 * Where the kernel starts a new send skb when the receive window blocks the sender (R-2.1, R-2.2, R-2.8,
 * tcp_write_xmit's tcp_grow_skb (6.10+) moves the next unsent skb's payload into the send head
 * up to min(cwnd quota, tcp_tso_segs) × mss and frees the emptied skb. The expected numbers are the
 * kernel's own, measured write by write with SO_MEMINFO on 6.18.44 (data/measurements/
 * write-path-2026-12-04.json, scripts/write-path/run.sh): loopback, SO_SNDBUF 65536 (sndbuf 131072),
 * 16 KiB non-blocking writes into a server that never reads.
 */

const ref = get_builtin_profile(REF);

/** One loopback connection: fill with 16 KiB non-blocking writes, sampled at 1 ms (before the 40 ms delayed ACK). */
function fill_16k(so_sndbuf: number): unknown {
  return one_group(
    {
      writer_sockopts: { so_sndbuf },
      writer: { side: 'client', blocking: false, program: { kind: 'fill', size_bytes: 16384 } },
      reader: { kind: 'never' },
    },
    { sampling: { interval_ms: 1, duration_ms: 1 } },
  );
}

function client_at_1ms(r: SimResult): { w: number | null; written: number | null } {
  const row = r.run.sockets.find((x) => x.t_ms === 1 && x.side === 'client');
  if (!row) throw new Error('no client row at 1 ms');
  return { w: row.w_bytes, written: row.bytes_written };
}

describe('tcp_tso_segs bounds how far tcp_write_xmit grows a TSO skb (R-2.9)', () => {
  it('is 2 segments on loopback and sk_gso_max_size / mss on a 1500-byte link', () => {
    // 6.18 reference: sk_gso_max_size = 65536 − (MAX_TCP_HEADER 192 + 1) = 65343.
    // mss 54272: 65343 / 54272 = 1 → max(1, tcp_min_tso_segs 2) = 2. mss 1448: floor(65343 / 1448) = 45.
    const ctx = { link: { gso_max_size_bytes: 65536 - (ref.struct.max_tcp_header_bytes + 1) } } as SimContext;
    expect(tcp_tso_segs(ctx, 54272)).toBe(2);
    expect(tcp_tso_segs(ctx, 65483)).toBe(2);
    expect(tcp_tso_segs(ctx, 1448)).toBe(45);
  });
});

describe('a window-blocked send head takes the next skb\'s bytes (tcp_grow_skb, 6.10+)', () => {
  it('grows the head past size_goal instead of keeping a new skb, then refuses the next write (SO_SNDBUF 65536)', () => {
    // Hand derivation, mss = size_goal = max_window / 2 = 54272 (R-2.8, gso_segs 1), skb base truesize 832:
    //   writes 1–8 (kernel w: 0, 17216, 34432, 50816, 67200, 84416, 100800, 117184): write 1 is sent and
    //   acked at once; write 2's skb is sent; writes 3–5 fill skb A to 49152 (Nagle); write 6 tops A up to
    //   54272 (pushed) and starts B with 11264; writes 7–8: B = 44032, window-blocked (70656 in flight of
    //   108544). w = 117184 < sndbuf 131072.
    //   write 9: B gets 10240 (= 54272, push_one blocked), a new skb C (+832) takes 6144; the closing push
    //   runs tcp_write_xmit: head B, missing = min(cwnd quota, tcp_tso_segs 2) × 54272 − 54272 = 54272 ≥ 6144,
    //   so all of C moves into B (60416) and C is freed (−832): w = 117184 + 16384 = 133568 (kernel: 133568).
    //   write 10: tail B 60416 > size_goal → copy < 0 → new skb needed, but w 133568 ≥ 131072 → EAGAIN.
    //   Written 9 × 16384 = 147456 (kernel: 147456).
    expect(client_at_1ms(run(fill_16k(65536)))).toEqual({ w: 133568, written: 147456 });
  });

  it('without the grow rule (profile tcp_grow_skb false, as on 6.1) the tail keeps taking writes until it is full', () => {
    // Same writes 1–9 but C stays: w = 117184 + 10240 + 832 + 6144 = 134400. C has room (54272 − 6144), so
    // writes 10 and 11 append (C = 38912, w = 167168); write 12 fills C with 15360 (w = 182528), then a new
    // skb is refused (w ≥ sndbuf): a short write, total 147456 + 32768 + 15360 = 195584.
    const no_grow: KernelProfile = { ...ref, tcp_grow_skb: false };
    expect(client_at_1ms(simulate(parse_scenario(fill_16k(65536), 'simulate'), no_grow))).toEqual({ w: 182528, written: 195584 });
  });

  it('grows the first blocked head to 2 × mss and later tails only to size_goal (SO_SNDBUF 262144)', () => {
    // Kernel per-write new skbs (w − previous w − 16384 = 832) at writes 2, 3, 6, 12, 16, 19, 22, 26, 29, 32;
    // EAGAIN after 35 full writes and one of 2048 bytes: written 575488, w 567424.
    // Derivation: as above up to write 8 (B = 44032); B grows by tcp_grow_skb after write 9 (60416), 10 (76800)
    // and 11 (93184); write 12 starts C with 16384, of which 15360 move into B (B = 2 × mss = 108544, C keeps
    // 1024: +832). B is now full (missing = 0), so every later tail closes at size_goal 54272: C full at write
    // 16 (D = 12288), D at 19 (E = 7168), E at 22 (F = 2048), F at 26 (G = 13312), G at 29 (H = 8192), H at 32
    // (I = 3072); I reaches 52224 at write 35, write 36 tops it up with 2048 and the next skb is refused
    // (w ≥ sndbuf 524288). Written 35 × 16384 + 2048 = 575488. w = unacked payload (575488 − 16384 of write 1)
    // + 10 skbs (write 2's, A, B, C…I) × 832 = 559104 + 8320 = 567424.
    expect(client_at_1ms(run(fill_16k(262144)))).toEqual({ w: 567424, written: 575488 });
  });

  it('is on in the 6.18 profile and off in the 6.1 one (tcp_grow_skb came with 6.10)', () => {
    expect(get_builtin_profile(DEB).tcp_grow_skb).toBe(false);
    expect(ref.tcp_grow_skb).toBe(true);
  });
});

interface WritePathRun {
  so_sndbuf: number;
  write_size: number;
  written: number;
  at_eagain: { w: number };
  after_300ms: { client: { w: number }; server: { r: number } };
}

function measured_runs(file: string): WritePathRun[] {
  return (JSON.parse(readFileSync(join(__dirname, '../../../data/measurements', file), 'utf8')) as { runs: WritePathRun[] }).runs;
}

describe.each([
  // the runs the rule was found from
  'write-path-2026-12-04.json',
  // hold-out pairs measured after the model was changed (SO_SNDBUF 131072; 40000-, 5000- and 100000-byte writes)
  'write-path-holdout-2026-12-04.json',
])('every write-path run measured on the kernel is reproduced (data/measurements/%s)', (file) => {
  // Kernel data as expected values: bytes accepted before EAGAIN, w at EAGAIN, and, 300 ms later (after the
  // delayed ACK, the window-edge split of the grown head, R-2.12), the client's w and the server's r.
  for (const m of measured_runs(file)) {
    it(`SO_SNDBUF ${m.so_sndbuf}, ${m.write_size}-byte writes: written ${m.written}, w ${m.at_eagain.w}, then w ${m.after_300ms.client.w} and server r ${m.after_300ms.server.r}`, () => {
      const sc = one_group(
        {
          writer_sockopts: { so_sndbuf: m.so_sndbuf },
          writer: { side: 'client', blocking: false, program: { kind: 'fill', size_bytes: m.write_size } },
          reader: { kind: 'never' },
        },
        { sampling: { interval_ms: 1, duration_ms: 301 } },
      );
      const r = run(sc);
      const at = (t: number, side: 'client' | 'server') => r.run.sockets.find((x) => x.t_ms === t && x.side === side)!;
      expect({ written: at(1, 'client').bytes_written, w: at(1, 'client').w_bytes }).toEqual({ written: m.written, w: m.at_eagain.w });
      expect({ w: at(301, 'client').w_bytes, r: at(301, 'server').r_bytes }).toEqual({ w: m.after_300ms.client.w, r: m.after_300ms.server.r });
    });
  }
});

/** Two unsent skbs of one socket: head (seq 0) → tail; only the skb pool and the queue tail are touched. */
function two_skbs(head_len: number, head_frags: number, tail_len: number, tail_frags: number) {
  const skb = new SkbPool(4);
  const head = skb.alloc(0, head_len, 832 + head_len, head_frags, 0);
  const tail = skb.alloc(head_len, tail_len, 832 + tail_len, tail_frags, 0);
  skb.next[head] = tail;
  const ctx = { skb, sock: { wq_tail: Int32Array.of(tail) }, p: { struct: { max_skb_frags: 17 } } } as unknown as SimContext;
  return { ctx, skb, head, tail };
}

describe('tcp_grow_skb moves bytes with their truesize (skb_shift / skb_len_add)', () => {
  it('moves part of the next skb: len and truesize move together, the next skb starts later', () => {
    // head 54272 B (truesize 55104), next 40000 B (40832); amount 30000 → head 84272 / 85104,
    // next 10000 / 10832 at seq 54272 + 30000 = 84272; no skb freed, so w is untouched.
    const { ctx, skb, head, tail } = two_skbs(54272, 2, 40000, 2);
    tcp_grow_skb(ctx, 0, head, 30000);
    expect([skb.len[head], skb.truesize[head], skb.len[tail], skb.truesize[tail], skb.seq[tail]]).toEqual([84272, 85104, 10000, 10832, 84272]);
  });

  it('does nothing for the last skb, and nothing when the head would need more than 17 frags', () => {
    // head with 17 frags + a 2-frag next whose first frag merges: 17 + 2 − 1 = 18 > MAX_SKB_FRAGS → skb_shift fails
    const a = two_skbs(54272, 17, 6144, 2);
    tcp_grow_skb(a.ctx, 0, a.head, 54272);
    expect([a.skb.len[a.head], a.skb.len[a.tail]]).toEqual([54272, 6144]);
    const b = two_skbs(54272, 2, 6144, 1);
    tcp_grow_skb(b.ctx, 0, b.tail, 54272); // the tail has no next skb (tcp_skb_is_last)
    expect(b.skb.len[b.tail]).toBe(6144);
  });
});

