import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { tcp_sndbuf_expand } from '../../../model/window';

const ref = get_builtin_profile('6.18.44-reference');
const deb = get_builtin_profile('debian-6.1.192-amd64');

describe('sndbuf autosizing (R-2.18)', () => {
  it('gives 3 × 10 × 131328 = 3939840 on lo with BBR and 2626560 with cubic (6.18 ref)', () => {
    expect(tcp_sndbuf_expand(ref, { mss: 65483, cwnd: 10, cc: 'bbr' })).toBe(3939840);
    expect(tcp_sndbuf_expand(ref, { mss: 65483, cwnd: 10, cc: 'cubic' })).toBe(2626560);
  });
  it('gives 69120 on a 1500-byte veth with BBR (per_mss 2304)', () => {
    expect(tcp_sndbuf_expand(ref, { mss: 1448, cwnd: 10, cc: 'bbr' })).toBe(69120);
  });
  it('gives 2626560 on Debian 6.1 lo with cubic (roundup_pow2(66123) + 256 = 131328)', () => {
    expect(tcp_sndbuf_expand(deb, { mss: 65483, cwnd: 10, cc: 'cubic' })).toBe(2626560);
  });
  it('is capped at tcp_wmem[2] and never shrinks the current sndbuf', () => {
    expect(tcp_sndbuf_expand(ref, { mss: 65483, cwnd: 40, cc: 'bbr' })).toBe(4194304);
    expect(tcp_sndbuf_expand(ref, { mss: 1448, cwnd: 10, cc: 'bbr', sndbuf: 100000 })).toBe(100000);
  });
  it('uses factor 2 for a congestion control the profile does not list', () => {
    expect(tcp_sndbuf_expand(ref, { mss: 1448, cwnd: 10, cc: 'vegas' })).toBe(46080);
  });
});
