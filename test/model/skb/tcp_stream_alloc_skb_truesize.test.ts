import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { tcp_stream_alloc_skb_truesize } from '../../../model/skb';

describe('tcp_stream_alloc_skb truesize (R-2.3, section 0 table)', () => {
  it('is 832 on the 6.18 reference host (MTH 192 in the 576-byte small head)', () => {
    expect(tcp_stream_alloc_skb_truesize(get_builtin_profile('6.18.44-reference'))).toBe(832);
  });
  it('is 1280 on Debian 6.1 (MTH 320 in a kmalloc-1k head)', () => {
    expect(tcp_stream_alloc_skb_truesize(get_builtin_profile('debian-6.1.192-amd64'))).toBe(1280);
  });
});
