import { describe, expect, it } from 'vitest';
import { tcp_mss_for_link } from '../../../model/window';

describe('MSS per link (R-2.9, R-5.7, R-3.6)', () => {
  it('is 65483 on IPv4 loopback with timestamps (advmss 65495)', () => {
    expect(tcp_mss_for_link({ kind: 'loopback' }, 'ipv4')).toEqual({ mtu: 65536, advmss_bytes: 65495, mss_bytes: 65483 });
  });
  it('is 1448 (IPv4) and 1428 (IPv6) on a 1500-byte veth with timestamps', () => {
    expect(tcp_mss_for_link({ kind: 'veth' }, 'ipv4').mss_bytes).toBe(1448);
    expect(tcp_mss_for_link({ kind: 'veth', mtu: 1500 }, 'ipv6').mss_bytes).toBe(1428);
  });
  it('is 1460 without timestamps on IPv4 MTU 1500', () => {
    expect(tcp_mss_for_link({ kind: 'veth' }, 'ipv4', false).mss_bytes).toBe(1460);
  });
  it('is mtu − 72 on IPv6 loopback: advmss 65476, mss 65464 (ip6_default_advmss)', () => {
    // Hand derivation: 65536 − 40 (ipv6hdr) − 20 (tcphdr) = 65476 ≤ 65515 so no IPV6_MAXPLEN; −12 timestamps.
    // Measured 2026-11-25 on the reference host (ss -tin, ::1 pair in a private netns): pmtu:65536 advmss:65464.
    expect(tcp_mss_for_link({ kind: 'loopback' }, 'ipv6')).toEqual({ mtu: 65536, advmss_bytes: 65476, mss_bytes: 65464 });
  });
  it('refuses an MTU below 576, naming the allowed range', () => {
    expect(() => tcp_mss_for_link({ kind: 'veth', mtu: 100 }, 'ipv4')).toThrow(/576 to 65536/);
  });
});
