import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { read_run_dir } from '../../io/run_dir';
import { parse_scenario } from '../../model/scenario';

/**
 * The committed captures (data/captures/<scenario>/r0..r2, taken on the reference host's
 * 6.18.44 kernel): complete, consistent with their scenario files, small, and showing the
 * deterministic mechanics the reference predicts.
 */
const root = path.join(__dirname, '..', '..', 'data');
const scenarios = fs.readdirSync(path.join(root, 'scenarios')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
const last = <T extends { t_ms: number }>(rows: T[]) => {
  const t = Math.max(...rows.map((r) => r.t_ms));
  return rows.filter((r) => r.t_ms === t);
};

describe('the committed captures', () => {
  for (const name of scenarios) {
    it(`${name} has three repeats that read back and carry their scenario`, () => {
      const file = parse_scenario(JSON.parse(fs.readFileSync(path.join(root, 'scenarios', `${name}.json`), 'utf8')), 'capture');
      for (const r of [0, 1, 2]) {
        const dir = path.join(root, 'captures', name, `r${r}`);
        const run = read_run_dir(dir);
        expect(run.meta.source).toBe('kernel');
        expect(run.meta.repeat_index).toBe(r);
        expect(run.meta.scenario).toEqual(file);
        expect(run.meta.kernel_release).toMatch(/^6\.18\.44/);
        expect(run.global.length).toBe(Math.floor(file.sampling.duration_ms / file.sampling.interval_ms) + 1);
        const bytes = ['meta.json', 'sockets.csv', 'global.csv'].reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0);
        expect(bytes).toBeLessThan(5 * 1024 * 1024);
      }
    });
  }

  it('unread-message: each receiver holds one skb of 832 + payload bytes (R-2.6, R-3.3) in whole pages (R-6.2)', () => {
    // Hand derivation: TX skb truesize 832 + payload on the reference host; the receiver gets the clone.
    // 1 B → 833 (1 page), 1000 B → 1832 (1 page), 16384 B → 17216 (5 pages: 17216 + f ≤ 20480).
    const want: Record<string, { r: number; pages: number }> = { m1: { r: 833, pages: 1 }, m1000: { r: 1832, pages: 1 }, m16384: { r: 17216, pages: 5 } };
    for (const r of [0, 1, 2]) {
      const run = read_run_dir(path.join(root, 'captures', 'unread-message', `r${r}`));
      for (const s of last(run.sockets).filter((x) => x.side === 'server')) {
        expect(s.r_bytes).toBe(want[s.group].r);
        expect(Math.ceil((s.r_bytes! + s.f_bytes! + s.w_bytes!) / 4096)).toBe(want[s.group].pages);
      }
    }
  });

  it('fill-rcvbuf and fill-sndbuf: SO_RCVBUF/SO_SNDBUF are doubled (R-5.2)', () => {
    const rcv = read_run_dir(path.join(root, 'captures', 'fill-rcvbuf', 'r0'));
    for (const s of last(rcv.sockets).filter((x) => x.side === 'server')) {
      expect(s.rb_bytes).toBe(2 * Number(s.group.replace('rcvbuf', '')));
    }
    const snd = read_run_dir(path.join(root, 'captures', 'fill-sndbuf', 'r0'));
    for (const s of last(snd.sockets).filter((x) => x.side === 'client')) {
      expect(s.tb_bytes).toBe(2 * Number(s.group.replace('sndbuf', '')));
    }
  });

  it('every socket of every capture holds a whole number of pages: r + f + w ≡ 0 mod 4096 (R-6.2)', () => {
    for (const name of scenarios) {
      const run = read_run_dir(path.join(root, 'captures', name, 'r0'));
      const off = run.sockets.filter((s) => (s.r_bytes! + s.f_bytes! + s.w_bytes!) % 4096 !== 0);
      expect(off.length, `${name}: ${off.length} rows off a page boundary`).toBe(0);
    }
  });

  it('idle pairs: the loopback sockets start with rcvbuf tcp_rmem[1] and BBR\'s expanded sndbuf (R-5.1, R-2.18)', () => {
    // on loopback with BBR: 3 × 10 × (roundup_pow2(65483 + 192 + 320) + 256) = 3939840.
    const run = read_run_dir(path.join(root, 'captures', 'idle-pairs-1000-epoll', 'r0'));
    for (const s of run.sockets) {
      expect(s.rb_bytes).toBe(131072);
      expect(s.tb_bytes).toBe(3939840);
    }
  });
});
