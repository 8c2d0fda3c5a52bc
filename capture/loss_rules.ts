import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LossSpec } from '../model/scenario';
import { run } from './exec';

/** Name of the nftables table a capture creates (only inside its own namespace). */
export const LOSS_TABLE = 'tcpmem_loss';

/**
 * The nftables ruleset that applies a scenario's `kernel.loss` in the receiving namespace: an input-hook
 * chain (after the receiver's IP layer, before TCP: the sender counts the segment as sent) that sends TCP
 * segments to (to_server) or from (to_client) the scenario's listener ports to a `lossy` chain when they
 * carry payload, i.e. when the IP length is larger than the IP + TCP header (`tcp doff`, one rule per
 * header length; IPv4 without IP options). The `lossy` chain holds the one counting rule: `numgen inc`
 * (deterministic: every n-th, or the k-th ones of a set) or `numgen random` (random). Pure ACKs, SYNs and
 * FINs without data never reach it, so only data segments are counted, retransmissions included.
 */
export function nft_loss_ruleset(loss: LossSpec, ports: number[], ip: 'ipv4' | 'ipv6'): string {
  const port_set = `{ ${ports.join(', ')} }`;
  const port_match = loss.direction === 'to_server' ? `tcp dport ${port_set}` : `tcp sport ${port_set}`;
  const payload_rules: string[] = [];
  for (let doff = 5; doff <= 15; doff++) {
    const len = ip === 'ipv4' ? `ip hdrlength 5 ip length > ${20 + 4 * doff}` : `ip6 nexthdr tcp ip6 length > ${4 * doff}`;
    payload_rules.push(`    ${port_match} tcp doff ${doff} ${len} jump lossy`);
  }
  let decide: string;
  if (loss.kind === 'random') {
    decide = `numgen random mod 1000000 < ${Math.round(loss.probability * 1_000_000)} counter drop`;
  } else if (loss.every_n !== undefined) {
    // numgen inc gives 0, 1, … n−1, 0, … to successive segments: segment k (1-based) gets (k − 1) mod n
    decide = `numgen inc mod ${loss.every_n} ${loss.every_n - 1} counter drop`;
  } else {
    decide = `numgen inc mod 2000000000 { ${loss.at!.map((k) => k - 1).join(', ')} } counter drop`;
  }
  return [
    `table inet ${LOSS_TABLE} {`,
    '  chain input {',
    '    type filter hook input priority 0; policy accept;',
    ...payload_rules,
    '  }',
    '  chain lossy {',
    `    ${decide}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Installs the ruleset inside namespace `ns` (`ip netns exec ns nft -f file`); it goes with the namespace. */
export async function apply_loss_rules(ns: string, ruleset: string): Promise<void> {
  const file = path.join(os.tmpdir(), `tcpmem-loss-${process.pid}-${ns}.nft`);
  fs.writeFileSync(file, ruleset);
  try {
    await run('ip', ['netns', 'exec', ns, 'nft', '-f', file]);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The drop counter of the lossy rule (packets), read back for the run's notes; null when unreadable. */
export async function read_loss_drops(ns: string): Promise<number | null> {
  try {
    const out = await run('ip', ['netns', 'exec', ns, 'nft', 'list', 'chain', 'inet', LOSS_TABLE, 'lossy']);
    const m = /counter packets (\d+)/.exec(out);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
