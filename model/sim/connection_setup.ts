import type { SimContext } from './sim_context';
import { F_MEMCG, F_NODELAY, F_RCVBUF_LOCK, F_SNDBUF_LOCK } from './socket_table';
import { sock_set_rcvbuf, sock_set_sndbuf } from '../window/sock_set_buf';
import { tcp_select_initial_window } from '../window/tcp_select_initial_window';
import { tcp_init_buffer_space } from '../window/tcp_init_buffer_space';
import { tcp_win_from_space } from '../window/tcp_win_from_space';
import { tcp_bound_to_half_wnd } from './tcp_xmit_size_goal';
import { tcp_select_window } from './tcp_select_window';
import { tcp_rtt_estimator, tcp_set_rto } from './tcp_rtt_estimator';

/** TCP_MSS_DEFAULT and TCP_MIN_MSS (include/net/tcp.h). */
const TCP_MSS_DEFAULT = 536;
const TCP_MIN_MSS = 88;
const TCPOLEN_TSTAMP_ALIGNED = 12;

/**
 * The established state of connection c at t = 0 (after the handshake and the settle time).
 *
 * Kernel: tcp_init_sock (R-5.1: rcvbuf tcp_rmem[1], sndbuf tcp_wmem[1], ratio 128); SO_RCVBUF /
 * SO_SNDBUF before connect/listen (R-5.2, R-5.3: doubled, locked, window_clamp = full space);
 * tcp_connect_init (client: mss = the SYN's MSS option) and tcp_openreq_init_rwin (server: that − 12
 * with timestamps; tp->advmss loses the 12 bytes at ESTABLISHED) → tcp_select_initial_window; tcp_init_buffer_space at ESTABLISHED (R-5.8,
 * sndbuf expansion ); tcp_initialize_rcv_mss (rcv_mss = min(advmss, mss, rcv_wnd/2, 536)).
 * The client learns the server's SYN-ACK window (unscaled, ≤ 65535); the server learns the client's
 * window from the handshake's final ACK (tcp_select_window).
 * Model: the handshake's skbs are gone (f = 0, nothing queued, sockstat pages 0); timestamps and window
 * scaling on; the memcg holds the writer, the reader or both sockets as the scenario says.
 */
export function setup_connection(ctx: SimContext, c: number): void {
  const sk = ctx.sock;
  const p = ctx.p;
  const gr = ctx.groups[ctx.conn_group[c]];
  const g = gr.g;
  const advmss = ctx.link.advmss_bytes;
  const syn_advmss = ctx.link.syn_advmss_bytes;
  for (let side = 0; side < 2; side++) {
    const s = 2 * c + side;
    const is_writer = side === gr.writer_side;
    const opts = is_writer ? g.writer_sockopts : g.reader_sockopts;
    let flags = 0;
    sk.rb[s] = p.sysctl.tcp_rmem[1];
    sk.tb[s] = p.sysctl.tcp_wmem[1];
    if (opts.so_rcvbuf !== undefined) {
      sk.rb[s] = sock_set_rcvbuf(p, opts.so_rcvbuf);
      flags |= F_RCVBUF_LOCK;
    }
    if (opts.so_sndbuf !== undefined) {
      sk.tb[s] = sock_set_sndbuf(p, opts.so_sndbuf);
      flags |= F_SNDBUF_LOCK;
    }
    if (opts.tcp_nodelay) flags |= F_NODELAY;
    const memcg = ctx.scenario.kernel.memcg;
    if (memcg && (memcg.holds === 'both' || (memcg.holds === 'writers') === is_writer)) flags |= F_MEMCG;
    sk.flags[s] = flags;
    sk.ratio[s] = p.scaling_ratio_init;
    const full = tcp_win_from_space(p, sk.ratio[s], sk.rb[s]);
    const init = tcp_select_initial_window(p, {
      rcvbuf: sk.rb[s],
      mss: side === 0 ? syn_advmss : syn_advmss - TCPOLEN_TSTAMP_ALIGNED,
      window_clamp: flags & F_RCVBUF_LOCK ? full : 0,
      scaling_ratio: sk.ratio[s],
    });
    sk.rcv_wnd[s] = init.rcv_wnd;
    sk.rcv_wscale[s] = init.rcv_wscale;
    sk.window_clamp[s] = init.window_clamp;
    sk.rcv_ssthresh[s] = init.rcv_ssthresh;
    sk.cwnd[s] = 10;
    sk.rcv_mss[s] = Math.max(TCP_MIN_MSS, Math.min(advmss, ctx.link.mss_bytes, sk.rcv_wnd[s] >> 1, TCP_MSS_DEFAULT));
    // the handshake's RTT sample (client: SYN → SYN-ACK; server: SYN-ACK → ACK, tcp_synack_rtt_meas):
    // the link RTT (lo/veth 0 → srtt_us 1, rttvar = tcp_rto_min_us, icsk_rto 200 ms)
    tcp_rtt_estimator(ctx, s, (2 * ctx.link.one_way_ns) / 1000);
    tcp_set_rto(ctx, s);
  }
  const cli = 2 * c;
  const srv = cli + 1;
  sk.snd_wscale[cli] = sk.rcv_wscale[srv];
  sk.snd_wscale[srv] = sk.rcv_wscale[cli];
  // SYN-ACK: the client learns the server's initial window (unscaled in SYN segments)
  sk.snd_wnd[cli] = Math.min(sk.rcv_wnd[srv], 65535);
  sk.max_window[cli] = sk.snd_wnd[cli];
  sk.snd_wnd[srv] = Math.min(sk.rcv_wnd[cli], 65535);
  sk.max_window[srv] = sk.snd_wnd[srv];
  establish(ctx, cli);
  // the client's handshake ACK carries its first scaled window
  const win = tcp_select_window(ctx, cli);
  sk.snd_wnd[srv] = win;
  if (win > sk.max_window[srv]) sk.max_window[srv] = win;
  establish(ctx, srv);
}

function establish(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const gr = ctx.groups[ctx.conn_group[s >> 1]];
  const is_writer = (s & 1) === gr.writer_side;
  const cc = is_writer ? gr.cc : (gr.g.reader_sockopts.tcp_congestion ?? ctx.p.sysctl.tcp_congestion_control);
  const r = tcp_init_buffer_space(ctx.p, {
    rcvbuf: sk.rb[s],
    advmss: ctx.link.advmss_bytes,
    rcv_wnd: sk.rcv_wnd[s],
    rcv_ssthresh: sk.rcv_ssthresh[s],
    window_clamp: sk.window_clamp[s],
    scaling_ratio: sk.ratio[s],
    sndbuf: sk.tb[s],
    sndbuf_locked: (sk.flags[s] & F_SNDBUF_LOCK) !== 0,
    // tcp_sndbuf_expand uses max(mss_clamp, mss_cache); mss_clamp is the peer's MSS option (= advmss here)
    mss_cache: Math.max(ctx.link.syn_advmss_bytes, tcp_bound_to_half_wnd(sk.max_window[s], ctx.link.mss_bytes)),
    cwnd: sk.cwnd[s],
    cc,
  });
  sk.tb[s] = r.sndbuf;
  sk.window_clamp[s] = r.window_clamp;
  sk.rcv_ssthresh[s] = r.rcv_ssthresh;
  sk.rcvq_space[s] = r.rcvq_space;
  // the handshake's timestamps (the handshake itself takes no simulated time): the client echoes the SYN-ACK's
  // TSval, sent one one-way delay before it arrived; the server the final ACK's. No data sample considered yet.
  sk.ts_recent_ms[s] = Math.floor(((s & 1) === 0 ? ctx.now_ns - ctx.link.one_way_ns : ctx.now_ns) / 1e6);
  sk.rcv_rtt_last_tsecr_ms[s] = -1;
}
