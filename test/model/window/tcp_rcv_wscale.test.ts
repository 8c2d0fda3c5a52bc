import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { ilog2, tcp_rcv_wscale } from '../../../model/window';

describe('receive window scale (R-5.7)', () => {
  it('is 10 on the 6.18 reference (ilog2(32 MiB) − 15)', () => {
    expect(tcp_rcv_wscale(get_builtin_profile('6.18.44-reference'), 65536)).toBe(10);
  });
  it('is 7 on Debian 6.1 (ilog2(6 MiB) = 22, − 15)', () => {
    expect(tcp_rcv_wscale(get_builtin_profile('debian-6.1.192-amd64'), 65536)).toBe(7);
  });
  it('follows a small window_clamp (SO_RCVBUF set before connect): clamp 32768 → ilog2 15 → 0', () => {
    expect(tcp_rcv_wscale(get_builtin_profile('6.18.44-reference'), 32768, 32768)).toBe(0);
  });
  it('ilog2 floors', () => {
    expect(ilog2(6291456)).toBe(22);
    expect(ilog2(33554432)).toBe(25);
  });
});
