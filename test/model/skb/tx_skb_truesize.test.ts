import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { tx_skb_truesize } from '../../../model/skb';

describe('transmit skb truesize (R-2.6)', () => {
  it('grows by the bytes copied, not by the page: 832 + payload on 6.18, 1280 + payload on 6.1', () => {
    expect(tx_skb_truesize(get_builtin_profile('6.18.44-reference'), 1)).toBe(833);
    expect(tx_skb_truesize(get_builtin_profile('6.18.44-reference'), 32741)).toBe(33573);
    expect(tx_skb_truesize(get_builtin_profile('debian-6.1.192-amd64'), 1000)).toBe(2280);
  });
  it('refuses a negative payload', () => {
    expect(() => tx_skb_truesize(get_builtin_profile('6.18.44-reference'), -1)).toThrow(/payload_bytes/);
  });
});
