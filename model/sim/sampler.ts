import type { SimContext } from './sim_context';
import type { GlobalSample, SocketSample } from '../run_output/run_output';
import { counter_column, global_base_columns, slab_column } from '../run_output/run_output';
import { sim_counters } from './counters';
import { tcp_bound_to_half_wnd } from './tcp_xmit_size_goal';
import type { SocketTable } from './socket_table';

/**
 * The socket rows of one sample, in global connection order. A hot connection is read from the hot
 * pool (ctx.sock), a cold one from its template (conn_store.ts): the sampled fields are never among a
 * cold connection's own values (COLD_OWN_FIELDS, times), so the template holds them exactly.
 */
export function sample_sockets(ctx: SimContext, t_ms: number, merge: boolean, out: SocketSample[]): void {
  const st = ctx.store;
  const merged = new Map<string, SocketSample>();
  // per side: the previous socket (its table, index and group) and the row it went into. A socket equal to
  // the previous one of its side in every key field has the same merge key, so it joins that row without
  // building the key.
  const last_sk: (SocketTable | null)[] = [null, null];
  const last_s = [-1, -1];
  const last_group = [-1, -1];
  const last_row: (SocketSample | null)[] = [null, null];
  for (let c = 0; c < ctx.nconn; c++) {
    const gi = st.group_of[c];
    const gr = ctx.groups[gi];
    const h = st.conn_hot[c];
    const sk = ctx.sock;
    const base = h >= 0 ? 2 * h : 2 * st.conn_tmpl[c];
    for (let side = 0; side < 2; side++) {
      const s = base + side;
      const target = last_row[side];
      if (merge && target !== null && last_group[side] === gi && same_merge_key(sk, s, last_sk[side]!, last_s[side])) {
        target.weight += gr.weight;
        continue;
      }
      const row: SocketSample = {
        t_ms,
        group: gr.g.name,
        conn: c - gr.first_conn,
        side: side === 0 ? 'client' : 'server',
        state: 'ESTAB',
        weight: gr.weight,
        r_bytes: sk.r[s],
        rb_bytes: sk.rb[s],
        t_bytes: 0,
        tb_bytes: sk.tb[s],
        f_bytes: sk.f[s],
        w_bytes: sk.w[s],
        o_bytes: 0,
        bl_bytes: 0,
        d_count: sk.d[s],
        recv_q_bytes: sk.rcv_nxt[s] - sk.copied_seq[s],
        send_q_bytes: sk.write_seq[s] - sk.snd_una[s],
        notsent_bytes: sk.write_seq[s] - sk.snd_nxt[s],
        rcv_space_bytes: sk.rcvq_space[s],
        rcv_ssthresh_bytes: sk.rcv_ssthresh[s],
        snd_wnd_bytes: sk.snd_wnd[s],
        rcv_wnd_bytes: sk.rcv_wnd[s],
        cwnd_segs: sk.cwnd[s],
        mss_bytes: tcp_bound_to_half_wnd(sk.max_window[s], ctx.link.mss_bytes),
        advmss_bytes: ctx.link.advmss_bytes,
        rcv_mss_bytes: sk.rcv_mss[s],
        unacked_segs: sk.packets_out[s],
        bytes_received: sk.rcv_nxt[s],
        bytes_acked: sk.snd_una[s],
        bytes_written: sk.write_seq[s],
        bytes_read: sk.copied_seq[s],
      };
      if (!merge) {
        out.push(row);
        continue;
      }
      // rows identical in every value but conn merge into one row whose weight sums theirs
      const key = `${gr.index}|${side}|${row.r_bytes}|${row.rb_bytes}|${row.tb_bytes}|${row.f_bytes}|${row.w_bytes}|${row.d_count}|${row.recv_q_bytes}|${row.send_q_bytes}|${row.notsent_bytes}|${row.rcv_space_bytes}|${row.rcv_ssthresh_bytes}|${row.snd_wnd_bytes}|${row.rcv_wnd_bytes}|${row.cwnd_segs}|${row.mss_bytes}|${row.rcv_mss_bytes}|${row.unacked_segs}|${row.bytes_received}|${row.bytes_acked}|${row.bytes_written}|${row.bytes_read}`;
      const prev = merged.get(key);
      last_sk[side] = sk;
      last_s[side] = s;
      last_group[side] = gi;
      if (prev) {
        prev.weight += row.weight;
        last_row[side] = prev;
      } else {
        merged.set(key, row);
        out.push(row);
        last_row[side] = row;
      }
    }
  }
}

/**
 * Whether socket s of table a and socket q of table b agree in every field of sample_sockets' merge key
 * (same group checked apart).
 */
function same_merge_key(a: SocketTable, s: number, b: SocketTable, q: number): boolean {
  return (
    a.r[s] === b.r[q] &&
    a.rb[s] === b.rb[q] &&
    a.tb[s] === b.tb[q] &&
    a.f[s] === b.f[q] &&
    a.w[s] === b.w[q] &&
    a.d[s] === b.d[q] &&
    a.rcv_nxt[s] === b.rcv_nxt[q] &&
    a.copied_seq[s] === b.copied_seq[q] &&
    a.write_seq[s] === b.write_seq[q] &&
    a.snd_una[s] === b.snd_una[q] &&
    a.snd_nxt[s] === b.snd_nxt[q] &&
    a.rcvq_space[s] === b.rcvq_space[q] &&
    a.rcv_ssthresh[s] === b.rcv_ssthresh[q] &&
    a.snd_wnd[s] === b.snd_wnd[q] &&
    a.rcv_wnd[s] === b.rcv_wnd[q] &&
    a.cwnd[s] === b.cwnd[q] &&
    a.max_window[s] === b.max_window[q] &&
    a.rcv_mss[s] === b.rcv_mss[q] &&
    a.packets_out[s] === b.packets_out[q]
  );
}

/** Slab objects the simulator reports: per established connection (model/slab), weighted. */
export interface SlabTotals {
  caches: string[];
  objects: Record<string, number>;
}

/** The global row of one sample (global.csv). */
export function sample_global(ctx: SimContext, t_ms: number, counters_at_0: Float64Array, slab: SlabTotals): GlobalSample {
  const st = ctx.store;
  const m = ctx.mem;
  let sockets_pages = 0;
  for (let c = 0; c < ctx.nconn; c++) {
    const h = st.conn_hot[c];
    const sk = ctx.sock;
    const base = h >= 0 ? 2 * h : 2 * st.conn_tmpl[c];
    const wgt = ctx.groups[st.group_of[c]].weight;
    for (let s = base; s < base + 2; s++) sockets_pages += Math.ceil((sk.r[s] + sk.w[s] + sk.f[s]) / 4096) * wgt;
  }
  const values: Record<string, number | null> = {};
  for (const c of global_base_columns) values[c] = null;
  values.sockstat_tcp_inuse_count = m.sockets_allocated;
  values.sockstat_tcp_alloc_count = m.sockets_allocated;
  values.sockstat_tcp_orphan_count = 0;
  values.sockstat_tcp_tw_count = 0;
  values.sockstat_tcp_mem_pages = Math.max(0, m.global_pages);
  values.sockets_pages = sockets_pages;
  if (m.memcg_enabled) {
    values.memcg_tcp_usage_bytes = m.memcg_usage_pages * 4096;
    values.memcg_tcp_limit_bytes = m.memcg_limit_pages * 4096;
    values.memcg_tcp_failcnt_count = m.memcg_failcnt;
    values.memcg_tcp_max_usage_bytes = m.memcg_max_usage_pages * 4096;
  }
  values.tcp_memory_pressure = m.pressure_since_ms >= 0 ? 1 : 0;
  for (let i = 0; i < sim_counters.length; i++) {
    values[counter_column(sim_counters[i])] = ctx.counters[i] - counters_at_0[i];
  }
  for (const cache of slab.caches) values[slab_column(cache)] = slab.objects[cache];
  return { t_ms, values };
}
