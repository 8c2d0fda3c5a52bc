import { describe, expect, it } from 'vitest';
import { COLD_OWN_FIELDS, CONN_IDENTITY_FIELDS, CONN_OWN_FIELDS, CONN_STATE_FIELDS, ConnStore, make_hot_arrays, type HotArrays } from '../../../model/sim/conn_store';
import { SocketTable } from '../../../model/sim/socket_table';
import type { GroupRuntime } from '../../../model/sim/group_runtime';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse_sim_scenario, simulate } from '../../../model/sim';
import { get_builtin_profile } from '../../../model/profile/builtin_profiles';
import { read_json_file } from '../../../io/read_json_file';
import { DEB, REF, one_group, run } from './helpers';

type Cols = Record<string, Float64Array | Int32Array | Uint16Array | Uint8Array>;

function groups(counts: number[]): GroupRuntime[] {
  let first = 0;
  return counts.map((n, index) => {
    const gr = { index, first_conn: first, n_conns: n, weight: 1 } as unknown as GroupRuntime;
    first += n;
    return gr;
  });
}

/** A store over the given groups, each set up from a fresh slot (every field at its initial value). */
function store(counts: number[]): { st: ConnStore; hot: () => HotArrays } {
  const gs = groups(counts);
  let hot: HotArrays | null = null;
  const st = new ConnStore(gs, counts.reduce((a, b) => a + b, 0), 4, (a) => (hot = a));
  for (const gr of gs) st.share_slot_with_group(st.fresh_slot(gr.first_conn), gr);
  return { st, hot: () => hot! };
}

/** Every SocketTable value of both sockets and every program-state value of hot slot h, by name. */
function snapshot(a: HotArrays, h: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(a.sock as unknown as Cols)) if (ArrayBuffer.isView(v)) out[k] = [v[2 * h], v[2 * h + 1]];
  for (const k of [...CONN_STATE_FIELDS, ...CONN_OWN_FIELDS]) out[k] = [(a as unknown as Cols)[k][h]];
  return out;
}

describe('ConnStore: hot and cold connections', () => {
  it('gives back every value of a connection after a cold round trip, -0 and fractions included', () => {
    // Write a distinct value into every field of connection 3, cool it, warm it: all values come back.
    const { st, hot } = store([10]);
    let h = st.hot_slot(3);
    let x = 1;
    for (const [k, v] of Object.entries(hot().sock as unknown as Cols)) {
      if (!ArrayBuffer.isView(v)) continue;
      v[2 * h] = v instanceof Float64Array ? x + 0.25 : x % 200;
      v[2 * h + 1] = v instanceof Float64Array ? -0 : (x + 1) % 200;
      x += 2;
      void k;
    }
    for (const k of CONN_STATE_FIELDS) (hot() as unknown as Cols)[k][h] = x++ % 200;
    for (const k of CONN_OWN_FIELDS) (hot() as unknown as Cols)[k][h] = x++ + 0.5;
    const before = snapshot(hot(), h);
    st.cool(h);
    expect(st.conn_hot[3]).toBe(-1);
    h = st.hot_slot(3);
    const after = snapshot(hot(), h);
    expect(after).toEqual(before);
    // −0 survives (toEqual tells −0 from +0 via Object.is)
    expect(Object.is(hot().sock.rcv_nxt[2 * h + 1], -0)).toBe(true);
  });

  it('shares one template between cold connections whose values are equal, and keeps their own times apart', () => {
    // Connections 0 and 1 get the same change (rcv_nxt 100) but different lrcvtime_ms: after cooling both,
    // they point at the same template, and each warms back with its own time.
    const { st, hot } = store([4]);
    for (const [g, t] of [
      [0, 5.5],
      [1, 7.25],
    ]) {
      const h = st.hot_slot(g);
      hot().sock.rcv_nxt[2 * h] = 100;
      hot().sock.lrcvtime_ms[2 * h] = t;
      st.cool(h);
    }
    expect(st.conn_tmpl[0]).toBe(st.conn_tmpl[1]);
    expect(st.conn_tmpl[2]).not.toBe(st.conn_tmpl[0]);
    // two templates in use: the untouched one (connections 2 and 3) and the changed one (0 and 1)
    expect(st.live_templates()).toBe(2);
    const h1 = st.hot_slot(1);
    expect(hot().sock.lrcvtime_ms[2 * h1]).toBe(7.25);
    expect(hot().sock.rcv_nxt[2 * h1]).toBe(100);
  });

  it('keeps the reader busy-until time per cold connection without a template of its own', () => {
    // rd_busy_until_ns (a time, CONN_OWN_FIELDS) differs between connections that are otherwise equal, like
    // the sockets' own times: connections 0 and 1 read at 3 ms and 4 ms share a template, and each warms
    // back with its own time.
    const { st, hot } = store([3]);
    for (const [g, t] of [
      [0, 3e6],
      [1, 4e6],
    ]) {
      const h = st.hot_slot(g);
      hot().rd_busy_until_ns[h] = t;
      st.cool(h);
    }
    expect(st.conn_tmpl[0]).toBe(st.conn_tmpl[1]);
    expect(st.conn_tmpl[0]).toBe(st.conn_tmpl[2]);
    expect(st.live_templates()).toBe(1);
    expect(hot().rd_busy_until_ns[st.hot_slot(1)]).toBe(4e6);
    expect(hot().rd_busy_until_ns[st.hot_slot(0)]).toBe(3e6);
    expect(hot().rd_busy_until_ns[st.hot_slot(2)]).toBe(0);
  });

  it('sets a warmed connection identity from its number (group, index in the group, weight)', () => {
    const { st, hot } = store([3, 5]);
    const h = st.hot_slot(6);
    expect(hot().conn_group[h]).toBe(1);
    expect(hot().conn_index[h]).toBe(3);
    expect(hot().conn_weight[h]).toBe(1);
    expect(st.hot_global[h]).toBe(6);
  });

  it('grows the hot pool and the templates without losing a value', () => {
    // 40 connections hot at once (pool starts at 16) and 40 distinct templates (start at 16)
    const { st, hot } = store([40]);
    const hs: number[] = [];
    for (let g = 0; g < 40; g++) {
      const h = st.hot_slot(g);
      hot().sock.write_seq[2 * h] = 1000 + g;
      hs.push(h);
    }
    for (let g = 0; g < 40; g++) expect(hot().sock.write_seq[2 * st.conn_hot[g]]).toBe(1000 + g);
    for (const h of hs) st.cool(h);
    expect(st.live_templates()).toBe(40);
    for (let g = 0; g < 40; g++) expect(hot().sock.write_seq[2 * st.hot_slot(g)]).toBe(1000 + g);
  });

  it('reuses the slots of templates no connection refers to any more', () => {
    // Connection 0 goes through 500 distinct states (write_seq = i), cooling after each: each cooling makes
    // a new template and leaves the previous one dead. Dead templates are collected when the slots run out,
    // so the pool stays small while connections 1..3 keep their (shared, untouched) template throughout.
    const { st, hot } = store([4]);
    for (let i = 1; i <= 500; i++) {
      const h = st.hot_slot(0);
      expect(hot().sock.write_seq[2 * h]).toBe(i - 1);
      hot().sock.write_seq[2 * h] = i;
      st.cool(h);
    }
    expect(st.live_templates()).toBe(2);
    expect(hot().conn_group.length).toBeLessThan(500);
    expect(hot().sock.write_seq[2 * st.hot_slot(0)]).toBe(500);
    expect(hot().sock.write_seq[2 * st.hot_slot(3)]).toBe(0);
  });

  it('classifies every per-connection array of the hot pool (a new one must say whether it moves)', () => {
    // The mover copies every SocketTable column; a cold connection's own values must be Float64 columns
    // of it. Every other per-connection array of the hot pool is program state (moves with the connection)
    // or identity (set from its number). An array added to make_hot_arrays on another branch and listed
    // in neither fails here instead of silently not moving.
    const cols = Object.entries(new SocketTable(2)).filter(([, v]) => ArrayBuffer.isView(v));
    for (const f of COLD_OWN_FIELDS) expect(cols.find(([k]) => k === f)?.[1]).toBeInstanceOf(Float64Array);
    const hot = make_hot_arrays(1) as unknown as Cols;
    for (const f of CONN_OWN_FIELDS) expect(hot[f]).toBeInstanceOf(Float64Array);
    const per_conn = Object.keys(hot).filter((k) => k !== 'sock');
    expect(new Set(per_conn)).toEqual(new Set([...CONN_STATE_FIELDS, ...CONN_OWN_FIELDS, ...CONN_IDENTITY_FIELDS]));
  });

  it('gives a run the same result whether its connections went cold or not', () => {
    // A push server with a 3 s period: its connections start cold, warm at each message and go cold
    // 2 s later; the same group with a 1 s period starts hot and never goes cold. Both run weighting off.
    // Their rows must equal those of the same scenario with one connection (conn 0 has no stagger phase).
    const push = (count: number, per_s: number) =>
      one_group(
        {
          count,
          writer: { side: 'server', program: { kind: 'rate', size_bytes: 512, messages_per_s: per_s, stagger: true } },
          reader: { kind: 'continuous' },
        },
        { sampling: { interval_ms: 1000, duration_ms: 9000 } },
      );
    for (const per_s of [1 / 3, 1]) {
      const many = run(push(8, per_s), undefined, { allow_weighting: false });
      const one = run(push(1, per_s), undefined, { allow_weighting: false });
      const first = (r: typeof one) => r.run.sockets.filter((x) => x.conn === 0).map((x) => ({ ...x, weight: 0 }));
      expect(first(many)).toEqual(first(one));
    }
  });

  it('gives every committed scenario the same run when each connection goes cold after every event of its own', () => {
    // cooling_stress: all groups start cold, and a connection is cooled at the first instant after each of
    // its events even while it holds skbs (receive, write and backlog queues), the reader owns the socket,
    // or a timer (delayed ACK, loss probe, RTO, persist) is armed. Every field of the state (wp-a's lock,
    // backlog and reader busy time, wp-b1's RTT estimator and loss probe fields, a later branch's) must
    // survive the moves: the run must be the normal run, byte for byte.
    const dir = path.join(__dirname, '../../../data/scenarios');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const s = parse_sim_scenario(read_json_file(path.join(dir, f)), f);
      for (const prof of [REF, DEB]) {
        const p = get_builtin_profile(prof);
        const normal = simulate(s, p, { tool_version: 't' });
        const stressed = simulate(s, p, { tool_version: 't', cooling_stress: true });
        expect(JSON.stringify(stressed.run), `${f} on ${prof}`).toBe(JSON.stringify(normal.run));
        expect(stressed.events).toBe(normal.events);
      }
    }
  });
});
