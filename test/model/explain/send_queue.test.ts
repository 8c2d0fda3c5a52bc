import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { send_queue_truesize, tcp_xmit_size_goal_bulk } from '../../../model/explain';

describe('bulk send queue (R-2.6, R-2.9)', () => {
  it('uses one full mss on loopback (65483) and 45 × 1448 = 65160 on veth', () => {
    expect(tcp_xmit_size_goal_bulk(65483)).toBe(65483);
    expect(tcp_xmit_size_goal_bulk(1448)).toBe(65160);
  });
  it('charges 832 + payload per skb on the 6.18 reference', () => {
    expect(send_queue_truesize(get_builtin_profile('6.18.44-reference'), 65160 + 1, 65160)).toEqual({ skbs: 2, truesize_bytes: 2 * 832 + 65161, last_skb_truesize_bytes: 833 });
  });
});
