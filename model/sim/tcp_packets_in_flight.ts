import type { SimContext } from './sim_context';

/**
 * Kernel: include/net/tcp.h `tcp_packets_in_flight`: packets_out − (sacked_out + lost_out) + retrans_out.
 * SACKed and lost segments no longer occupy the network; retransmitted ones do again.
 */
export function tcp_packets_in_flight(ctx: SimContext, s: number): number {
  const sk = ctx.sock;
  const x = sk.loss_slot[s];
  if (x < 0) return sk.packets_out[s];
  const L = ctx.loss;
  return sk.packets_out[s] - (L.sacked_out[x] + L.lost_out[x]) + L.retrans_out[x];
}

/** Whether socket s has an OFO queue that is not empty. */
export function tcp_has_ofo(ctx: SimContext, s: number): boolean {
  const x = ctx.sock.loss_slot[s];
  return x >= 0 && ctx.loss.ofo_head[x] >= 0;
}

/** Whether sender s has SACKed, lost or retransmitted skbs or is in Recovery. */
export function tcp_in_loss_recovery(ctx: SimContext, s: number): boolean {
  const x = ctx.sock.loss_slot[s];
  if (x < 0) return false;
  const L = ctx.loss;
  return L.sacked_out[x] + L.lost_out[x] + L.retrans_out[x] > 0 || L.ca_state[x] !== 0;
}
