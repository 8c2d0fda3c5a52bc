import { InputError } from '../schema/format_zod_error';

/** The link as far as MSS is concerned; compatible with the scenario's `link`. */
export type MssLink = { kind: 'loopback' } | { kind: 'veth' | 'nic'; mtu?: number };
export type IpVersion = 'ipv4' | 'ipv6';

/** Loopback device MTU (drivers/net/loopback.c: 64 KiB). */
export const loopback_mtu_bytes = 65536;
/** TCPOLEN_TSTAMP_ALIGNED: timestamp option bytes on every segment. */
export const tcpolen_tstamp_aligned_bytes = 12;
const ip_max_len = 65535; // IPV4_MAX_PMTU, IPV6_MAXPLEN
const tcp_header_bytes = 20;

/**
 * MTU, route advmss and the post-handshake MSS of a link.
 *
 * Kernel: net/ipv4/route.c `ipv4_default_advmss()` = min(mtu − 40, 65535 − 40); net/ipv6/route.c
 * `ip6_default_advmss()` = mtu − 60 (IPV6_MAXPLEN when above 65535 − 20); net/ipv4/tcp_output.c `tcp_mtu_to_mss()`
 * on the path MTU (IPv4 capped at 65535, R-2.9; IPv6 not); with timestamps 12 option bytes come off (R-5.7, `tp->advmss -= TCPOLEN_TSTAMP_ALIGNED`
 * after the handshake). Loopback IPv4: advmss 65495, mss 65483; veth MTU 1500: 1448 (IPv4) / 1428 (IPv6).
 * Model: no TCP_MAXSEG, no route advmss/mtu locks; mss_bytes is also the post-handshake tp->advmss.
 */
export function tcp_mss_for_link(
  link: MssLink,
  ip: IpVersion,
  timestamps = true,
): { mtu: number; mss_bytes: number; advmss_bytes: number } {
  const mtu = link.kind === 'loopback' ? loopback_mtu_bytes : (link.mtu ?? 1500);
  if (!Number.isInteger(mtu) || mtu < 576 || mtu > loopback_mtu_bytes) {
    throw new InputError(`link mtu must be a whole number from 576 to ${loopback_mtu_bytes}, got ${mtu}`);
  }
  const ip_header = ip === 'ipv4' ? 20 : 40;
  const headers = ip_header + tcp_header_bytes;
  let advmss: number;
  if (ip === 'ipv4') advmss = Math.min(mtu - headers, ip_max_len - headers);
  else advmss = mtu - headers > ip_max_len - tcp_header_bytes ? ip_max_len : mtu - headers;
  // IPv4 caps the path MTU at IPV4_MAX_PMTU 65535; IPv6 keeps 65536 (measured: ss shows pmtu:65536 on ::1).
  const mss_from_pmtu = (ip === 'ipv4' ? Math.min(mtu, ip_max_len) : mtu) - headers;
  const opts = timestamps ? tcpolen_tstamp_aligned_bytes : 0;
  return { mtu, advmss_bytes: advmss, mss_bytes: Math.min(advmss, mss_from_pmtu) - opts };
}
