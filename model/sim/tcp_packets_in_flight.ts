import type { SimContext } from './sim_context';

/**
 * Kernel: include/net/tcp.h `tcp_packets_in_flight`: packets_out − (sacked_out + lost_out) + retrans_out.
 * SACKed and lost segments no longer occupy the network; retransmitted ones do again.
 */
export function tcp_packets_in_flight(ctx: SimContext, s: number): number {
  const sk = ctx.sock;
  return sk.packets_out[s] - (sk.sacked_out[s] + sk.lost_out[s]) + sk.retrans_out[s];
}
