import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse_protocols, parse_slabinfo, parse_sockstat, parse_sysctl_listing } from '../../../capture/parsers';

const fixture = (f: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', f), 'utf8');

describe('parse_sockstat', () => {
  it('reads the TCP line of /proc/net/sockstat (fixture: the parse_ss namespace)', () => {
    expect(parse_sockstat(fixture('sockstat-6.18.txt'))).toEqual({ inuse: 3, orphan: 0, tw: 0, alloc: 7, mem_pages: 796 });
  });

  it('rejects text without a TCP line, or a TCP line lacking mem', () => {
    expect(() => parse_sockstat('UDP: inuse 0 mem 0\n')).toThrow(/no "TCP:" line/);
    expect(() => parse_sockstat('TCP: inuse 3 orphan 0 tw 0 alloc 7\n')).toThrow(/lacks "mem"/);
  });
});

describe('parse_slabinfo', () => {
  const caches = parse_slabinfo(fixture('slabinfo-6.18.txt'));

  it('reads the slab strides the reference lists for the socket caches (§1.3)', () => {
    expect(caches.get('TCP')?.objsize_bytes).toBe(2368);
    expect(caches.get('TCPv6')?.objsize_bytes).toBe(2496);
    expect(caches.get('sock_inode_cache')?.objsize_bytes).toBe(832);
    expect(caches.get('skbuff_small_head')?.objsize_bytes).toBe(576);
    expect(caches.get('request_sock_TCP')?.objsize_bytes).toBe(320);
  });

  it('reads active and total object counts', () => {
    expect(caches.get('TCP')).toEqual({ active_objs: 52, num_objs: 52, objsize_bytes: 2368 });
    expect(caches.get('filp')).toEqual({ active_objs: 705, num_objs: 756, objsize_bytes: 192 });
  });

  it('has no entry for a cache SLUB merged into another (skbuff_fclone_cache on this host)', () => {
    expect(caches.has('skbuff_fclone_cache')).toBe(false);
  });

  it('rejects text that is not slabinfo 2.x', () => {
    expect(() => parse_slabinfo('name 1 2 3\n')).toThrow(/slabinfo - version: 2.x/);
  });
});

describe('parse_protocols', () => {
  it('reads the TCP row: sockets, memory pages and the pressure flag', () => {
    expect(parse_protocols(fixture('protocols-6.18.txt'))).toEqual({ sockets: 3, memory_pages: 796, pressure: false });
  });

  it('reads the TCPv6 row when asked', () => {
    expect(parse_protocols(fixture('protocols-6.18.txt'), 'TCPv6').sockets).toBe(3);
  });
});

describe('parse_sysctl_listing', () => {
  it('reads "key = value" lines and turns tabs inside values into single spaces', () => {
    const v = parse_sysctl_listing(fixture('sysctl-net-6.18.txt'));
    expect(v['net.ipv4.tcp_rmem']).toBe('4096 131072 33554432');
    expect(v['net.ipv4.tcp_wmem']).toBe('4096 16384 4194304');
    expect(v['net.ipv4.tcp_congestion_control']).toBe('bbr');
  });
});
