import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse_ss } from '../../../capture/parsers';

// Fixture: `ss -tmoniH` inside a private netns on the reference host (6.18.44, iproute2 6.1):
// a NODELAY client wrote five 1000-byte messages then 64 KiB non-blocking writes until EAGAIN
// into a server that never read; plus one idle IPv6 pair. Expected values are read off the text.
const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ss-tmoniH-loopback-6.18.txt'), 'utf8');

describe('parse_ss', () => {
  const socks = parse_ss(text);

  it('finds one entry per socket line', () => {
    expect(socks).toHaveLength(4);
    expect(socks.map((s) => s.state)).toEqual(['ESTAB', 'ESTAB', 'ESTAB', 'ESTAB']);
  });

  it('reads the queues and addresses of the receiving socket', () => {
    const s = socks[0];
    expect([s.recv_q_bytes, s.send_q_bytes]).toEqual([129416, 0]);
    expect([s.local_addr, s.local_port, s.peer_addr, s.peer_port]).toEqual(['127.0.0.1', 5000, '127.0.0.1', 37290]);
  });

  it('reads all nine skmem counters', () => {
    expect(socks[0].skmem).toEqual({ r: 130248, rb: 131072, t: 0, tb: 3939840, f: 4920, w: 0, o: 0, bl: 0, d: 0 });
    expect(socks[1].skmem).toEqual({ r: 0, rb: 131072, t: 0, tb: 4194304, f: 2112, w: 3880896, o: 0, bl: 0, d: 0 });
  });

  it('reads the tcp_info fields ss prints and leaves the others null', () => {
    const s = socks[0];
    expect([s.rcv_space, s.rcv_ssthresh, s.snd_wnd, s.cwnd, s.mss, s.advmss, s.rcvmss]).toEqual([65483, 87804, 65536, 10, 32768, 65483, 35328]);
    expect(s.bytes_received).toBe(129416);
    expect(s.rcv_wnd).toBeNull(); // iproute2 6.1 does not print rcv_wnd
    expect(s.notsent).toBeNull(); // printed only when non-zero
    expect(socks[1].notsent).toBe(3791872);
    expect(socks[1].bytes_acked).toBe(129417);
  });

  it('does not mistake bytes_received for the mss of a field with a common suffix', () => {
    // "rcvmss:536" and "advmss:65483" both end in "mss:"; mss must come from "mss:35328".
    expect(socks[1].mss).toBe(35328);
    expect(socks[1].rcvmss).toBe(536);
  });

  it('strips the brackets of IPv6 addresses', () => {
    expect([socks[2].local_addr, socks[2].local_port, socks[2].peer_port]).toEqual(['::1', 47620, 5001]);
  });

  it('shows the page invariant of R-6.2 on real data: r + f + w is a whole number of pages', () => {
    for (const s of socks) {
      const k = s.skmem!;
      expect((k.r + k.f + k.w) % 4096).toBe(0);
    }
  });

  it('skips a header line when -H was not given', () => {
    const with_header = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n' + text;
    expect(parse_ss(with_header)).toHaveLength(4);
  });

  it('rejects a line that is not a socket, naming its line number', () => {
    expect(() => parse_ss('garbage here\n')).toThrow(/ss line 1/);
    expect(() => parse_ss('\tskmem:(r0)\n')).toThrow(/detail line before any socket line/);
  });

  it('rejects an skmem group that lacks a counter', () => {
    expect(() => parse_ss('ESTAB 0 0 127.0.0.1:1 127.0.0.1:2\n\t skmem:(r0,rb1,t0,tb1,f0,w0,o0,bl0)\n')).toThrow(/lacks d/);
  });
});
