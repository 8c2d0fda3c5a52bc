import { describe, expect, it } from 'vitest';
import { parse_ss } from '../../../capture/parsers';

// Real `ss -tmoniH` lines (kernel 6.18.44-fc-v1147, iproute2 6.1), captured 2026-12-04 in a private
// netns: a python client streamed 64 KiB sendall()s over loopback to a reader doing recv(65536).
// The receiver prints `rcv_rtt:0.007` (tcpi_rcv_rtt = rcv_rtt_est.rtt_us >> 3 = 7 µs, shown in ms,
// ); the sender has never received data, so its estimate is 0 and ss omits the field.
const text = [
  'ESTAB 0      3470599 127.0.0.1:42978 127.0.0.1:5599  timer:(on,204ms,0)',
  '\t skmem:(r0,rb131072,t0,tb4194304,f505,w3513863,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.075/0.017 mss:65483 pmtu:65535 rcvmss:536 advmss:65483 cwnd:14 ssthresh:8 bytes_sent:98807582 bytes_retrans:60575 bytes_acked:98489984 segs_out:1730 segs_in:933 data_segs_out:1728 bbr:(bw:29935083928bps,mrtt:0.002,pacing_gain:1.25,cwnd_gain:2) send 97787946667bps lastrcv:52 lastack:8 pacing_rate 37044666360bps delivery_rate 20410285712bps delivered:1724 busy:52ms rwnd_limited:32ms(61.5%) unacked:4 retrans:0/1 rcv_space:65495 rcv_ssthresh:65495 notsent:3213575 minrtt:0.002 snd_wnd:257024',
  'ESTAB 385372 0       127.0.0.1:5599  127.0.0.1:42978',
  '\t skmem:(r424364,rb427022,t0,tb3939840,f1620,w0,o0,bl0,d1) ts sack bbr wscale:10,10 rto:204 rtt:0.021/0.01 ato:40 mss:32768 pmtu:65535 rcvmss:65483 advmss:65483 cwnd:10 bytes_received:98747007 segs_out:932 segs_in:1730 data_segs_in:1728 bbr:(bw:0bps,mrtt:0.021) send 124830476190bps lastsnd:52 lastrcv:8 pacing_rate 356746950160bps delivered:1 app_limited rcv_rtt:0.007 rcv_space:171485 rcv_ssthresh:352698 minrtt:0.021 snd_wnd:65536',
  '',
].join('\n');

describe('parse_ss rcv_rtt (R-5.17)', () => {
  const socks = parse_ss(text);

  it('reads the receiver RTT estimate in ms next to rcv_space', () => {
    expect(socks[1].rcv_rtt_ms).toBe(0.007);
    expect(socks[1].rcv_space).toBe(171485);
  });

  it('leaves rcv_rtt null on a socket where ss does not print it', () => {
    expect(socks[0].rcv_rtt_ms).toBeNull();
    expect(socks[0].rcv_space).toBe(65495);
  });

  it('does not take rtt:<srtt>/<var> or minrtt for the receiver estimate', () => {
    // the sender prints rtt:0.075/0.017 and minrtt:0.002 but no rcv_rtt
    expect(socks[0].rcv_rtt_ms).not.toBe(0.075);
    expect(socks[0].rcv_rtt_ms).not.toBe(0.002);
  });
});
