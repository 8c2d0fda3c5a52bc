import type { KernelProfile } from '../profile/kernel_profile';
import { sock_min_rcvbuf_bytes, sock_min_sndbuf_bytes } from '../window/sock_set_buf';
import { tcp_win_from_space } from '../window/tcp_win_from_space';
import { tcp_measure_rcv_mss_ratio } from '../window/tcp_measure_rcv_mss_ratio';
import { tcp_mss_for_link } from '../window/tcp_mss_for_link';
import type { PlanResult, TuningOption } from './plan_types';

const page = 4096;
const gib = 1024 ** 3;

function bits_per_s(window_bytes: number, rtt_ms: number): number {
  return (window_bytes * 8) / (rtt_ms / 1000);
}

/**
 * Settings that keep the planned peak out of memory pressure, each with what it costs.
 *
 * Kernel: pressure is entered when the global pages exceed tcp_mem[1] (R-6.4 step 4), and sockstat lags the true
 * sum by up to nr_cpus × mem_pcpu_rsv, so the headroom must cover the lag. A receiver holds r < rcvbuf +
 * one skb; SO_RCVBUF doubles the value and locks it; the window it leaves is
 * tcp_win_from_space(rcvbuf) (R-5.5/5.6) with the ratio measured from full segments (R-3.12; small messages never
 * update it, so the initial ratio stays). A sender holds w < sndbuf + one skb.
 * Model: throughput = window / RTT (one window per round trip; no loss, cwnd not limiting). The default tcp_mem
 * shape {¾L, L, 1½L} is kept when suggesting a new tcp_mem.
 */
export function plan_tuning(p: KernelProfile, plan: PlanResult): TuningOption[] {
  const out: TuningOption[] = [];
  const need = plan.totals.peak_pages.value;
  // Nothing to tune when the peak is unknown or stays below tcp_mem[0] (no limits apply there, R-6.4 step 3).
  if (need === null || plan.pressure.peak_region === 'below_min') return out;
  const lag = plan.pressure.sockstat_lag_pages;
  const [, pressure] = plan.tcp_mem.pages;
  const rtt = plan.rtt_ms;
  const n = plan.connections;

  // 1. tcp_mem large enough for the peak (plus the sockstat lag).
  const L = Math.ceil(((need + lag) * 4) / 3);
  const min = Math.floor(L / 4) * 3;
  const tcp_mem = [Math.max(min, need + lag), L, 2 * Math.max(min, need + lag)];
  const pinnable = tcp_mem[2] * page;
  out.push({
    setting: `net.ipv4.tcp_mem = "${tcp_mem.join(' ')}"`,
    derivation: `peak ${need} pages + sockstat lag ${lag} pages ≤ tcp_mem[0], so sockets never even leave the "below min" region; tcp_mem[1] = 4/3 of that, tcp_mem[2] = 2 × tcp_mem[0] (the kernel's default shape, R-6.1)`,
    window_bytes: null,
    throughput_bits_per_s: null,
    cost: `sockets may then pin up to tcp_mem[2] = ${(pinnable / gib).toFixed(2)} GiB (${((100 * pinnable) / plan.ram.bytes).toFixed(1)}% of RAM); global, needs root on the host`,
    feasible: pinnable < plan.ram.bytes,
  });

  // Pages per connection the planned peak leaves for receivers / senders under tcp_mem[1].
  let recv_sockets = 0;
  let send_sockets = 0;
  let recv_pages = 0;
  let send_pages = 0;
  let recv_msg = 0;
  let recv_payload = 0;
  let send_msg = 0;
  let send_payload = 0;
  for (const g of plan.groups) {
    g.sockets.forEach((s, i) => {
      const fig = g.socket_peak_pages[i];
      const peak = (fig.value ?? 0) * g.peak_concurrency;
      // Only queues that grow toward their buffer limit are capped; exact and estimated peaks stay as they are.
      if (peak <= 0 || s.message_truesize_bytes === null || fig.method === 'analytic_exact' || fig.method === 'analytic_estimate') return;
      const payload = s.message_payload_bytes ?? 0;
      if (s.role === 'receiver') {
        recv_sockets += g.connections;
        recv_pages += g.connections * peak;
        recv_msg = Math.max(recv_msg, s.message_truesize_bytes);
        recv_payload = Math.max(recv_payload, payload);
      } else if (s.role === 'sender') {
        send_sockets += g.connections;
        send_pages += g.connections * peak;
        send_msg = Math.max(send_msg, s.message_truesize_bytes);
        send_payload = Math.max(send_payload, payload);
      }
    });
  }
  const mss = tcp_mss_for_link(plan.link, plan.ip).mss_bytes;

  if (recv_sockets > 0) {
    const avail = pressure - lag - (need - recv_pages);
    const per = Math.floor(avail / recv_sockets);
    const rcvbuf = per * page - recv_msg;
    const feasible = rcvbuf >= sock_min_rcvbuf_bytes;
    const so_rcvbuf = Math.floor(Math.max(rcvbuf, 0) / 2);
    const ratio = ratio_for(p, recv_payload, recv_msg, mss);
    const window = feasible ? tcp_win_from_space(p, ratio, rcvbuf) : 0;
    const derivation = `(tcp_mem[1] ${pressure} − lag ${lag} − other sockets' ${need - recv_pages} pages) / ${recv_sockets} receiving sockets with growing queues = ${per} pages each; r < rcvbuf + one skb (${recv_msg} B, R-4.12) → rcvbuf ≤ ${rcvbuf} B`;
    out.push({
      setting: feasible ? `SO_RCVBUF = ${so_rcvbuf} on the receiving sockets (the kernel doubles it to ${2 * so_rcvbuf}, R-5.2)` : 'SO_RCVBUF pinning on the receiving sockets',
      derivation,
      window_bytes: feasible ? window : null,
      throughput_bits_per_s: feasible ? bits_per_s(window, rtt) : null,
      cost: feasible
        ? `window ${window} B (tcp_win_from_space, ratio ${ratio}/256) → at most ${(bits_per_s(window, rtt) / 1e6).toFixed(2)} Mbit/s per connection at ${rtt} ms RTT; disables receive autotuning`
        : `not possible: ${per} pages per socket leave less than SOCK_MIN_RCVBUF (${sock_min_rcvbuf_bytes} B); fewer connections or more tcp_mem`,
      feasible,
    });
    out.push({
      setting: feasible ? `net.ipv4.tcp_rmem = "${Math.min(4096, rcvbuf)} ${rcvbuf} ${rcvbuf}"` : 'net.ipv4.tcp_rmem caps',
      derivation: `same budget as SO_RCVBUF, as the default and the autotuning ceiling (tcp_rmem[2] bounds clamp growth, R-5.16, and DRS, R-5.17) for every socket in the namespace`,
      window_bytes: feasible ? window : null,
      throughput_bits_per_s: feasible ? bits_per_s(window, rtt) : null,
      cost: feasible ? `every connection's receive window stays ≤ ${window} B (≤ ${(bits_per_s(window, rtt) / 1e6).toFixed(2)} Mbit/s at ${rtt} ms), also bulk ones` : 'not possible with this budget',
      feasible,
    });
  }
  if (send_sockets > 0) {
    const avail = pressure - lag - (need - send_pages);
    const per = Math.floor(avail / send_sockets);
    const sndbuf = per * page - send_msg;
    const feasible = sndbuf >= sock_min_sndbuf_bytes;
    const frac = send_msg > 0 ? send_payload / send_msg : 1;
    const inflight = Math.floor(Math.max(sndbuf, 0) * frac);
    out.push({
      setting: feasible ? `SO_SNDBUF = ${Math.floor(sndbuf / 2)} on the sending sockets, or net.ipv4.tcp_wmem = "4096 ${Math.min(16384, sndbuf)} ${sndbuf}"` : 'SO_SNDBUF / tcp_wmem caps',
      derivation: `(tcp_mem[1] ${pressure} − lag ${lag} − other sockets' ${need - send_pages} pages) / ${send_sockets} sending sockets with growing queues = ${per} pages each; w < sndbuf + one skb (${send_msg} B, R-2.2) → sndbuf ≤ ${sndbuf} B`,
      window_bytes: feasible ? inflight : null,
      throughput_bits_per_s: feasible ? bits_per_s(inflight, rtt) : null,
      cost: feasible
        ? `≤ ${inflight} payload bytes unacknowledged (sndbuf × payload/truesize) → ≤ ${(bits_per_s(inflight, rtt) / 1e6).toFixed(2)} Mbit/s per connection at ${rtt} ms RTT; writers block (or see EAGAIN) sooner`
        : `not possible: ${per} pages per socket leave less than SOCK_MIN_SNDBUF (${sock_min_sndbuf_bytes} B)`,
      feasible,
    });
  }
  const c = plan.pressure.peak_crossings.pressure;
  if (c !== null && c <= n) {
    out.push({
      setting: `at most ${c - 1} connections per host (instead of ${n})`,
      derivation: `peak ${(need / n).toFixed(3)} pages per connection; tcp_mem[1] = ${pressure} is crossed at ${c}`,
      window_bytes: null,
      throughput_bits_per_s: null,
      cost: `${Math.ceil(n / (c - 1))} hosts for ${n} connections`,
      feasible: c > 1,
    });
  }
  return out;
}

/** The ratio a receiver settles on: measured from segments ≥ rcv_mss only, so small messages keep the initial one. */
function ratio_for(p: KernelProfile, payload_bytes: number, truesize_bytes: number, mss: number): number {
  if (payload_bytes < mss) return p.scaling_ratio_init;
  return tcp_measure_rcv_mss_ratio(payload_bytes, truesize_bytes);
}
