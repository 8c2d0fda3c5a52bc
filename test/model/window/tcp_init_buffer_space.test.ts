import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { tcp_init_buffer_space } from '../../../model/window';

const ref = get_builtin_profile('6.18.44-reference');
const no_clamp = 65535 * 2 ** 10;

describe('tcp_init_buffer_space (R-5.8)', () => {
  it('leaves lo without a segment reservation: window_clamp 65536, rcv_ssthresh = rcv_wnd', () => {
    const r = tcp_init_buffer_space(ref, { rcvbuf: 131072, advmss: 65483, rcv_wnd: 65495, rcv_ssthresh: 65495, window_clamp: no_clamp });
    expect(r.window_clamp).toBe(65536);
    expect(r.rcv_ssthresh).toBe(65495);
    expect(r.sndbuf).toBe(3939840); // BBR default on the reference
  });
  it('reserves one segment on veth IPv6: window_clamp = rcv_ssthresh = 65536 − 1428 = 64108', () => {
    const r = tcp_init_buffer_space(ref, { rcvbuf: 131072, advmss: 1428, rcv_wnd: 64260, rcv_ssthresh: 64260, window_clamp: no_clamp });
    expect(r.window_clamp).toBe(64108);
    expect(r.rcv_ssthresh).toBe(64108);
  });
  it('sets rcvq_space to min(rcv_ssthresh, rcv_wnd, 10 × advmss)', () => {
    const r = tcp_init_buffer_space(ref, { rcvbuf: 131072, advmss: 1448, rcv_wnd: 65160, rcv_ssthresh: 65160, window_clamp: no_clamp });
    expect(r.rcvq_space).toBe(14480);
  });
  it('keeps a locked sndbuf', () => {
    const r = tcp_init_buffer_space(ref, { rcvbuf: 131072, advmss: 1448, rcv_wnd: 65160, rcv_ssthresh: 65160, window_clamp: no_clamp, sndbuf: 4608, sndbuf_locked: true });
    expect(r.sndbuf).toBe(4608);
  });
});
