import { describe, expect, it } from 'vitest';
import { nft_loss_ruleset } from '../../capture/loss_rules';

describe('capture: nftables rules for kernel.loss', () => {
  it('sends only payload-carrying TCP segments to the listener ports to the counting rule (IPv4)', () => {
    const r = nft_loss_ruleset({ kind: 'deterministic', direction: 'to_server', every_n: 50 }, [20000, 20001], 'ipv4');
    expect(r).toContain('type filter hook input priority 0; policy accept;');
    // one rule per TCP header length: IP length must exceed 20 + 4 × doff (no IP options)
    expect(r).toContain('tcp dport { 20000, 20001 } tcp doff 8 ip hdrlength 5 ip length > 52 jump lossy');
    expect(r.match(/jump lossy/g)).toHaveLength(11);
    // numgen inc gives 0 … n−1: the n-th, 2n-th … segments get n − 1
    expect(r).toContain('numgen inc mod 50 49 counter drop');
  });

  it('matches the server side ports for to_client, the IPv6 payload length, the k-th segments and random loss', () => {
    expect(nft_loss_ruleset({ kind: 'deterministic', direction: 'to_client', at: [3, 7] }, [20000], 'ipv6')).toMatch(
      /tcp sport \{ 20000 \} tcp doff 8 ip6 nexthdr tcp ip6 length > 32 jump lossy[\s\S]*numgen inc mod 2000000000 \{ 2, 6 \} counter drop/,
    );
    expect(nft_loss_ruleset({ kind: 'random', direction: 'to_server', probability: 0.01 }, [20000], 'ipv4')).toContain(
      'numgen random mod 1000000 < 10000 counter drop',
    );
  });
});
