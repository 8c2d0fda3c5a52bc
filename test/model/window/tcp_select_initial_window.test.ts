import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { tcp_select_initial_window } from '../../../model/window';

const ref = get_builtin_profile('6.18.44-reference');
const deb = get_builtin_profile('debian-6.1.192-amd64');

describe('initial window (R-5.7)', () => {
  it('gives the lo client 65495 (its SYN does not know timestamps yet) and the server 65483, wscale 10', () => {
    const c = tcp_select_initial_window(ref, { rcvbuf: 131072, mss: 65495 });
    const s = tcp_select_initial_window(ref, { rcvbuf: 131072, mss: 65483 });
    expect(c.rcv_wnd).toBe(65495);
    expect(s.rcv_wnd).toBe(65483);
    expect(c.rcv_wscale).toBe(10);
    expect(c.rcv_ssthresh).toBe(c.rcv_wnd);
    expect(c.window_clamp).toBe(65535 * 2 ** 10);
  });
  it('rounds 65536 down to 45 × 1448 = 65160 on a 1500-byte veth', () => {
    expect(tcp_select_initial_window(ref, { rcvbuf: 131072, mss: 1448 }).rcv_wnd).toBe(65160);
  });
  it('does not cap rcv_wnd at 64 KiB on 6.18 but does on 6.1', () => {
    // rcvbuf 1 MiB → full space 524288 (ratio 128 / adv_win_scale 1), mss 1448 → 362 × 1448 = 524176.
    expect(tcp_select_initial_window(ref, { rcvbuf: 1 << 20, mss: 1448 }).rcv_wnd).toBe(524176);
    expect(tcp_select_initial_window(deb, { rcvbuf: 1 << 20, mss: 1448 }).rcv_wnd).toBe(65535);
  });
  it('limits the window to an SO_RCVBUF clamp (R-5.3): rcvbuf 8192 → clamp 4096, wscale 0', () => {
    const w = tcp_select_initial_window(ref, { rcvbuf: 8192, mss: 1448, window_clamp: 4096 });
    expect(w).toEqual({ rcv_wnd: 2 * 1448, rcv_wscale: 0, window_clamp: 4096, rcv_ssthresh: 2 * 1448 });
  });
});
