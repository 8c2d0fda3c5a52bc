import type { SimContext } from './sim_context';
import type { LossSpec } from '../scenario/scenario_schema';

/**
 * Whether the link loses the data segment socket s is sending now (scenario `kernel.loss`).
 *
 * Kernel: nothing in TCP: the capture drops the segment with an nftables rule in the receiver's input hook
 * (capture/loss_rules.ts), so the sender counts it as sent and TCP must recover it (tcp_rack.ts, RTO).
 * Model: one call per transmitted skb that carries payload, originals and retransmissions alike, in the
 * order the receiver would see them (lo/veth: the order of transmission; a NIC: FIFO per direction). The
 * count is one per direction over all simulated connections, as the capture's one nftables counter per rule
 * (simulate() turns weighting off when a loss is set). `every_n` drops segments n, 2n, …; `at` the listed
 * ones; `random` draws from the run's Mulberry32 seeded with scenario.seed (same seed, same drops; not the
 * kernel's segments). A NIC transmission is dropped whole (all its GRO skbs).
 */
export function link_drops_segment(ctx: SimContext, s: number, loss: LossSpec): boolean {
  const dir = s & 1;
  if ((loss.direction === 'to_server') !== (dir === 0)) return false;
  const n = ++ctx.loss_segments[dir];
  if (loss.kind === 'random') return ctx.loss_rng!.next() < loss.probability;
  if (loss.every_n !== undefined) return n % loss.every_n === 0;
  return loss.at!.includes(n);
}
