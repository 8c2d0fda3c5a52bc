import type { SimContext } from './sim_context';
import type { GlobalSample, SocketSample } from '../run_output/run_output';
import { counter_column, global_base_columns, slab_column } from '../run_output/run_output';
import { sim_counters } from './counters';
import { tcp_current_mss } from './tcp_xmit_size_goal';

/**
 * The socket rows of one sample, in global connection order. A connection's values are read where
 * `ConnStore.read_socket` says: its hot slot, or its template when cold (the sampled fields are never
 * among a cold connection's own values, COLD_OWN_FIELDS, so the template holds them exactly).
 */
export function sample_sockets(ctx: SimContext, t_ms: number, merge: boolean, out: SocketSample[]): void {
  const sk = ctx.sock;
  const st = ctx.store;
  const merged = new Map<string, SocketSample>();
  // per side: the previous socket and the row it went into. A socket equal to the previous one of its
  // side in every key field has the same merge key, so it joins that row without building the key.
  const last_s = [-1, -1];
  const last_group = [-1, -1];
  const last_row: (SocketSample | null)[] = [null, null];
  for (let c = 0; c < ctx.nconn; c++) {
    const gi = st.group_of[c];
    const gr = ctx.groups[gi];
    const base = st.read_socket(c);
    for (let side = 0; side < 2; side++) {
      const s = base + side;
      const q = last_s[side];
      const target = last_row[side];
      if (merge && target !== null && same_merge_key(ctx, s, q) && last_group[side] === gi) {
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
        bl_bytes: sk.bl[s],
        d_count: sk.d[s],
        recv_q_bytes: sk.rcv_nxt[s] - sk.copied_seq[s],
        send_q_bytes: sk.write_seq[s] - sk.snd_una[s],
        notsent_bytes: sk.write_seq[s] - sk.snd_nxt[s],
        rcv_space_bytes: sk.rcvq_space[s],
        rcv_ssthresh_bytes: sk.rcv_ssthresh[s],
        snd_wnd_bytes: sk.snd_wnd[s],
        rcv_wnd_bytes: sk.rcv_wnd[s],
        cwnd_segs: sk.cwnd[s],
        mss_bytes: tcp_current_mss(ctx, s),
        advmss_bytes: ctx.link.advmss_bytes,
        rcv_mss_bytes: sk.rcv_mss[s],
        unacked_segs: sk.packets_out[s],
        bytes_received: sk.rcv_nxt[s],
        bytes_acked: sk.snd_una[s],
        bytes_written: sk.write_seq[s],
        bytes_read: sk.copied_seq[s],
        // tcpi_rcv_rtt = rcv_rtt_est.rtt_us >> 3 (µs), printed by ss in ms, omitted while 0
        rcv_rtt_ms: sk.rcv_rtt_est_us[s] >> 3 === 0 ? null : (sk.rcv_rtt_est_us[s] >> 3) / 1000,
      };
      if (!merge) {
        out.push(row);
        continue;
      }
      // rows identical in every value but conn merge into one row whose weight sums theirs
      const key = `${gr.index}|${side}|${row.r_bytes}|${row.rb_bytes}|${row.tb_bytes}|${row.f_bytes}|${row.w_bytes}|${row.bl_bytes}|${row.d_count}|${row.recv_q_bytes}|${row.send_q_bytes}|${row.notsent_bytes}|${row.rcv_space_bytes}|${row.rcv_ssthresh_bytes}|${row.snd_wnd_bytes}|${row.rcv_wnd_bytes}|${row.cwnd_segs}|${row.mss_bytes}|${row.rcv_mss_bytes}|${row.unacked_segs}|${row.bytes_received}|${row.bytes_acked}|${row.bytes_written}|${row.bytes_read}|${row.rcv_rtt_ms}`;
      const prev = merged.get(key);
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

/** Whether sockets s and q agree in every field of sample_sockets' merge key (same group checked apart). */
function same_merge_key(ctx: SimContext, s: number, q: number): boolean {
  const sk = ctx.sock;
  return (
    sk.r[s] === sk.r[q] &&
    sk.rb[s] === sk.rb[q] &&
    sk.tb[s] === sk.tb[q] &&
    sk.f[s] === sk.f[q] &&
    sk.w[s] === sk.w[q] &&
    sk.bl[s] === sk.bl[q] &&
    sk.d[s] === sk.d[q] &&
    sk.rcv_nxt[s] === sk.rcv_nxt[q] &&
    sk.copied_seq[s] === sk.copied_seq[q] &&
    sk.write_seq[s] === sk.write_seq[q] &&
    sk.snd_una[s] === sk.snd_una[q] &&
    sk.snd_nxt[s] === sk.snd_nxt[q] &&
    sk.rcvq_space[s] === sk.rcvq_space[q] &&
    sk.rcv_rtt_est_us[s] >> 3 === sk.rcv_rtt_est_us[q] >> 3 &&
    sk.rcv_ssthresh[s] === sk.rcv_ssthresh[q] &&
    sk.snd_wnd[s] === sk.snd_wnd[q] &&
    sk.rcv_wnd[s] === sk.rcv_wnd[q] &&
    sk.cwnd[s] === sk.cwnd[q] &&
    sk.max_window[s] === sk.max_window[q] &&
    sk.rcv_mss[s] === sk.rcv_mss[q] &&
    sk.packets_out[s] === sk.packets_out[q]
  );
}

/** Slab objects the simulator reports: per established connection (model/slab), weighted. */
export interface SlabTotals {
  caches: string[];
  objects: Record<string, number>;
}

/** The global row of one sample (global.csv). */
export function sample_global(ctx: SimContext, t_ms: number, counters_at_0: Float64Array, slab: SlabTotals): GlobalSample {
  const sk = ctx.sock;
  const st = ctx.store;
  const m = ctx.mem;
  let sockets_pages = 0;
  for (let c = 0; c < ctx.nconn; c++) {
    const base = st.read_socket(c);
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
