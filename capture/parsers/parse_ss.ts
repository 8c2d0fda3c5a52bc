/**
 * One socket from `ss -tmoniH` (iproute2 6.x): addresses, queues, skmem (INET_DIAG_SKMEMINFO,
 * reference §7) and the tcp_info fields ss prints. Fields ss did not print are null
 * (e.g. rcv_wnd is not printed by iproute2 6.1; unacked/notsent only when non-zero).
 */
export interface SsSocket {
  state: string;
  recv_q_bytes: number;
  send_q_bytes: number;
  local_addr: string;
  local_port: number;
  peer_addr: string;
  peer_port: number;
  skmem: { r: number; rb: number; t: number; tb: number; f: number; w: number; o: number; bl: number; d: number } | null;
  rcv_space: number | null;
  /** tcpi_rcv_rtt (tp->rcv_rtt_est.rtt_us >> 3) in ms, as ss prints it (`rcv_rtt:0.123`, R-5.17); null when not printed (ss omits it while 0). */
  rcv_rtt_ms: number | null;
  rcv_ssthresh: number | null;
  snd_wnd: number | null;
  rcv_wnd: number | null;
  cwnd: number | null;
  mss: number | null;
  advmss: number | null;
  rcvmss: number | null;
  unacked: number | null;
  notsent: number | null;
  bytes_received: number | null;
  bytes_acked: number | null;
}

const ss_state = /^[A-Z][A-Z0-9-]*$/;

function split_addr(s: string): { addr: string; port: number } {
  const i = s.lastIndexOf(':');
  if (i < 0) throw new Error(`ss: "${s}" is not an address:port`);
  let addr = s.slice(0, i);
  if (addr.startsWith('[') && addr.endsWith(']')) addr = addr.slice(1, -1);
  const port = Number(s.slice(i + 1));
  if (!Number.isInteger(port)) throw new Error(`ss: "${s}" has no numeric port`);
  return { addr, port };
}

/**
 * Parses `ss -tmoniH` (or -tmiH) output: a header-less list where each socket is a state line
 * followed by one tab-indented detail line. Lines with an unexpected shape throw, naming them.
 */
export function parse_ss(text: string): SsSocket[] {
  const out: SsSocket[] = [];
  const lines = text.split('\n');
  let cur: SsSocket | null = null;
  for (const [n, raw] of lines.entries()) {
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    if (/^\s/.test(raw)) {
      if (cur === null) throw new Error(`ss line ${n + 1}: detail line before any socket line`);
      apply_details(cur, line.trim());
      continue;
    }
    const parts = line.split(/\s+/);
    if (parts[0] === 'State' || parts[0] === 'Netid') continue; // header, when -H was not given
    if (!ss_state.test(parts[0]) || parts.length < 5) throw new Error(`ss line ${n + 1}: not a socket line: ${JSON.stringify(line.slice(0, 80))}`);
    const local = split_addr(parts[3]);
    const peer = split_addr(parts[4]);
    cur = {
      state: parts[0],
      recv_q_bytes: Number(parts[1]),
      send_q_bytes: Number(parts[2]),
      local_addr: local.addr,
      local_port: local.port,
      peer_addr: peer.addr,
      peer_port: peer.port,
      skmem: null,
      rcv_space: null, rcv_rtt_ms: null, rcv_ssthresh: null, snd_wnd: null, rcv_wnd: null, cwnd: null, mss: null, advmss: null,
      rcvmss: null, unacked: null, notsent: null, bytes_received: null, bytes_acked: null,
    };
    out.push(cur);
  }
  return out;
}

function apply_details(s: SsSocket, info: string): void {
  // Tokens are "key:value" (tcp_info fields), "skmem:(…)", or words; a key appears at most once.
  const kv = new Map<string, string>();
  for (const tok of info.split(/\s+/)) {
    const i = tok.indexOf(':');
    if (i > 0 && !kv.has(tok.slice(0, i))) kv.set(tok.slice(0, i), tok.slice(i + 1));
  }
  const sk = kv.get('skmem');
  if (sk !== undefined) {
    const v: Record<string, number> = {};
    for (const part of sk.replace(/^\(|\)$/g, '').split(',')) {
      const mm = /^([a-z]+)(\d+)$/.exec(part);
      if (mm) v[mm[1]] = Number(mm[2]);
    }
    for (const k of ['r', 'rb', 't', 'tb', 'f', 'w', 'o', 'bl', 'd']) {
      if (v[k] === undefined) throw new Error(`ss: skmem:${sk} lacks ${k}`);
    }
    s.skmem = { r: v.r, rb: v.rb, t: v.t, tb: v.tb, f: v.f, w: v.w, o: v.o, bl: v.bl, d: v.d };
  }
  const num = (name: string): number | null => {
    const v = kv.get(name);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
  };
  s.rcv_space = num('rcv_space');
  const rtt = kv.get('rcv_rtt');
  s.rcv_rtt_ms = rtt !== undefined && /^\d+(\.\d+)?$/.test(rtt) ? Number(rtt) : null;
  s.rcv_ssthresh = num('rcv_ssthresh');
  s.snd_wnd = num('snd_wnd');
  s.rcv_wnd = num('rcv_wnd');
  s.cwnd = num('cwnd');
  s.mss = num('mss');
  s.advmss = num('advmss');
  s.rcvmss = num('rcvmss');
  s.unacked = num('unacked');
  s.notsent = num('notsent');
  s.bytes_received = num('bytes_received');
  s.bytes_acked = num('bytes_acked');
}
