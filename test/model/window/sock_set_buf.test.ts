import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { sock_set_rcvbuf, sock_set_sndbuf } from '../../../model/window';

const ref = get_builtin_profile('6.18.44-reference'); // rmem_max = wmem_max = 4194304
const deb = get_builtin_profile('debian-6.1.192-amd64'); // 212992

describe('SO_RCVBUF / SO_SNDBUF (R-5.2)', () => {
  it('doubles the value asked for', () => {
    expect(sock_set_rcvbuf(ref, 65536)).toBe(131072);
    expect(sock_set_sndbuf(ref, 65536)).toBe(131072);
  });
  it('caps at rmem_max / wmem_max before doubling', () => {
    expect(sock_set_rcvbuf(ref, 10_000_000)).toBe(2 * 4194304);
    expect(sock_set_rcvbuf(deb, 10_000_000)).toBe(2 * 212992);
    expect(sock_set_sndbuf(deb, 10_000_000)).toBe(2 * 212992);
  });
  it('skips the cap for the FORCE variants', () => {
    expect(sock_set_rcvbuf(deb, 1_000_000, true)).toBe(2_000_000);
  });
  it('never goes below SOCK_MIN_RCVBUF 2304 / SOCK_MIN_SNDBUF 4608', () => {
    expect(sock_set_rcvbuf(ref, 1)).toBe(2304);
    expect(sock_set_sndbuf(ref, 1)).toBe(4608);
    expect(sock_set_sndbuf(ref, 2304)).toBe(4608);
  });
  it('refuses a negative value, naming the option', () => {
    expect(() => sock_set_rcvbuf(ref, -1)).toThrow(/SO_RCVBUF/);
  });
});
