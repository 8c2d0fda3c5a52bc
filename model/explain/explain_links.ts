import type { RxLink } from '../skb/rx_skb_truesize';
import type { MssLink } from '../window/tcp_mss_for_link';

/** Link kinds `tcpmem explain` knows (R-3.3..R-3.10). */
export const explain_links = ['loopback', 'veth', 'nic-2k', 'nic-2k-gro', 'nic-4k', 'nic-4k-gro'] as const;
export type ExplainLink = (typeof explain_links)[number];

/** The receive-side and MSS view of an explain link (veth and NICs at MTU 1500). */
export function explain_link(link: ExplainLink): { rx: RxLink; mss: MssLink } {
  switch (link) {
    case 'loopback':
      return { rx: { kind: 'loopback' }, mss: { kind: 'loopback' } };
    case 'veth':
      return { rx: { kind: 'veth' }, mss: { kind: 'veth', mtu: 1500 } };
    default: {
      const rx_buffer = link.startsWith('nic-2k') ? 'page_frag_2k' : 'page_frag_4k';
      return { rx: { kind: 'nic', rx_buffer, gro: link.endsWith('-gro') }, mss: { kind: 'nic', mtu: 1500 } };
    }
  }
}
