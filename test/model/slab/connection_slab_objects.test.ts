import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { connection_slab_objects, slab_bytes_per_connection } from '../../../model/slab';

// The table alone (no LSM blobs, no ep_head), so the hand sums below are plain stride sums; the extras
// have their own tests at the end.
const ref = get_builtin_profile('6.18.44-reference');
const p = { ...ref, slab_extra: undefined };
const objects = (o: ReturnType<typeof connection_slab_objects>) => Object.fromEntries(o.map((x) => [x.cache, x.objects]));

describe('per-connection slab objects (R-1.3)', () => {
  it('gives an ESTABLISHED IPv4 server socket one TCP, sock_inode_cache, filp and dentry: 2368+832+192+192 = 3584', () => {
    const o = connection_slab_objects(p, { state: 'established', side: 'server', epoll: false, ip: 'ipv4' });
    expect(objects(o)).toEqual({ TCP: 1, sock_inode_cache: 1, filp: 1, dentry: 1 });
    expect(slab_bytes_per_connection(p, { state: 'established', side: 'server', epoll: false, ip: 'ipv4' })).toBe(3584);
  });
  it('adds the ephemeral port bind buckets (2 × 128) to the client: 3840', () => {
    expect(slab_bytes_per_connection(p, { state: 'established', side: 'client', epoll: false, ip: 'ipv4' })).toBe(3840);
  });
  it('adds an epitem (128) and a pwq (64) per fd with epoll', () => {
    const o = connection_slab_objects(p, { state: 'established', side: 'server', epoll: true, ip: 'ipv4' });
    expect(objects(o)).toMatchObject({ eventpoll_epi: 1, eventpoll_pwq: 1 });
    expect(slab_bytes_per_connection(p, { state: 'established', side: 'pair', epoll: true, ip: 'ipv4' })).toBe(3840 + 3584 + 2 * 192);
  });
  it('counts a pair as client + server: 7424 bytes idle without epoll', () => {
    expect(slab_bytes_per_connection(p, { state: 'established', side: 'pair', epoll: false, ip: 'ipv4' })).toBe(7424);
  });
  it('uses TCPv6 (2496) for IPv6', () => {
    expect(slab_bytes_per_connection(p, { state: 'established', side: 'server', epoll: false, ip: 'ipv6' })).toBe(2496 + 832 + 192 + 192);
  });
  it('holds only a 320-byte request sock in SYN_RECV and a 256-byte tw sock in TIME_WAIT (server side)', () => {
    expect(slab_bytes_per_connection(p, { state: 'syn_recv', side: 'server', epoll: false, ip: 'ipv4' })).toBe(320);
    expect(slab_bytes_per_connection(p, { state: 'time_wait', side: 'server', epoll: false, ip: 'ipv4' })).toBe(256);
  });
  it('keeps the client bind buckets in TIME_WAIT and when orphaned', () => {
    expect(slab_bytes_per_connection(p, { state: 'time_wait', side: 'client', epoll: false, ip: 'ipv4' })).toBe(256 + 256);
    expect(slab_bytes_per_connection(p, { state: 'orphan', side: 'client', epoll: true, ip: 'ipv4' })).toBe(2368 + 256);
  });
  it('gives a listener its socket, fd objects and bind buckets', () => {
    expect(slab_bytes_per_connection(p, { state: 'listen', side: 'server', epoll: false, ip: 'ipv4' })).toBe(3584 + 256);
  });
  it('refuses side "pair" for states other than established, naming the allowed sides', () => {
    expect(() => connection_slab_objects(p, { state: 'time_wait', side: 'pair', epoll: false, ip: 'ipv4' })).toThrow(/allowed sides for it: client, server/);
  });
});

describe('per-connection slab extras found by measurement (profile slab_extra)', () => {
  it('adds a 32-byte inode blob and a 24-byte file blob per fd on the reference host: server 3584 + 56', () => {
    const o = connection_slab_objects(ref, { state: 'established', side: 'server', epoll: false, ip: 'ipv4' });
    expect(objects(o)).toMatchObject({ lsm_inode_cache: 1, lsm_file_cache: 1 });
    expect(slab_bytes_per_connection(ref, { state: 'established', side: 'server', epoll: false, ip: 'ipv4' })).toBe(3584 + 56);
  });
  it('adds a 16-byte ep_head per epoll-registered fd', () => {
    expect(slab_bytes_per_connection(ref, { state: 'established', side: 'server', epoll: true, ip: 'ipv4' })).toBe(3584 + 56 + 128 + 64 + 16);
  });
  it('gives an idle IPv4 loopback pair 7424 + 112 = 7536 bytes without epoll and 7536 + 416 = 7952 with', () => {
    expect(slab_bytes_per_connection(ref, { state: 'established', side: 'pair', epoll: false, ip: 'ipv4' })).toBe(7536);
    expect(slab_bytes_per_connection(ref, { state: 'established', side: 'pair', epoll: true, ip: 'ipv4' })).toBe(7952);
  });
  it('leaves out what a profile does not list (Debian 6.1: ep_head only)', () => {
    const deb = get_builtin_profile('debian-6.1.192-amd64');
    const o = connection_slab_objects(deb, { state: 'established', side: 'server', epoll: true, ip: 'ipv4' });
    expect(objects(o)).toMatchObject({ ep_head: 1 });
    expect(objects(o).lsm_file_cache).toBeUndefined();
  });
});
