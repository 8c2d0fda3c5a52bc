import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { tcp_full_space, tcp_space_from_win, tcp_win_from_space } from '../../../model/window';

const ref = get_builtin_profile('6.18.44-reference');
const deb = get_builtin_profile('debian-6.1.192-amd64');

describe('space ↔ window (R-5.5, R-5.6)', () => {
  it('takes ratio/256 of the space on 6.18: 131072 at ratio 128 → 65536', () => {
    expect(tcp_win_from_space(ref, 128, 131072)).toBe(65536);
    expect(tcp_full_space(ref, 128, 131072)).toBe(65536);
  });
  it('matches the R-5.9 example: (131072 − 1832) × 139 >> 8 = 70173', () => {
    expect(tcp_win_from_space(ref, 139, 131072 - 1832)).toBe(70173);
  });
  it('floors a negative space like the kernel s64 shift (tcp_space may be negative)', () => {
    expect(tcp_win_from_space(ref, 128, -3)).toBe(-2);
  });
  it('halves the space on 6.1 with tcp_adv_win_scale 1, ignoring any ratio', () => {
    expect(tcp_win_from_space(deb, 250, 131072)).toBe(65536);
    expect(tcp_win_from_space(deb, 128, 4097)).toBe(4097 - 2048);
  });
  it('inverts: (win << 8) / ratio on 6.18, 2 × win on 6.1', () => {
    expect(tcp_space_from_win(ref, 128, 65536)).toBe(131072);
    expect(tcp_space_from_win(ref, 139, 70173)).toBe(Math.floor((70173 * 256) / 139)); // 129240, truncating
    expect(tcp_space_from_win(deb, 128, 65536)).toBe(131072);
  });
});
