import { describe, expect, it } from 'vitest';
import { parse_param_path, set_param } from '../../sweep/param_path';

describe('parse_param_path', () => {
  it('reads keys, indexes, group names and quoted keys', () => {
    expect(parse_param_path('groups[0].writer.program.size_bytes', 'w')).toEqual([
      { key: 'groups' }, { index: 0 }, { key: 'writer' }, { key: 'program' }, { key: 'size_bytes' },
    ]);
    expect(parse_param_path('groups[ws].count', 'w')).toEqual([{ key: 'groups' }, { name: 'ws' }, { key: 'count' }]);
    expect(parse_param_path('kernel.sysctls["net.ipv4.tcp_rmem"]', 'w')).toEqual([{ key: 'kernel' }, { key: 'sysctls' }, { key: 'net.ipv4.tcp_rmem' }]);
  });

  it('rejects malformed paths naming where they came from', () => {
    expect(() => parse_param_path('groups[0', 'grid["groups[0"]')).toThrow(/grid\["groups\[0"\].*unclosed/);
    expect(() => parse_param_path('a..b', 'w')).toThrow(/not a parameter path/);
    expect(() => parse_param_path('a.', 'w')).toThrow(/ends with/);
  });
});

describe('set_param', () => {
  const base = { groups: [{ name: 'ws', count: 1, opts: {} }], kernel: { sysctls: {} } };

  it('returns a changed copy and leaves the original alone', () => {
    const out = set_param(base, 'groups[ws].count', 7, 'w') as typeof base;
    expect(out.groups[0].count).toBe(7);
    expect(base.groups[0].count).toBe(1);
  });

  it('may add a new last key to an existing object (optional fields such as sockopts)', () => {
    const out = set_param(base, 'groups[0].opts.so_rcvbuf', 4096, 'w') as { groups: Array<{ opts: Record<string, number> }> };
    expect(out.groups[0].opts.so_rcvbuf).toBe(4096);
    const s = set_param(base, 'kernel.sysctls["net.ipv4.tcp_rmem"]', '4096 8192 16384', 'w') as { kernel: { sysctls: Record<string, string> } };
    expect(s.kernel.sysctls['net.ipv4.tcp_rmem']).toBe('4096 8192 16384');
  });

  it('names the missing step and what exists instead', () => {
    expect(() => set_param(base, 'groups[3].count', 1, 'grid')).toThrow(/groups\[3\] is out of range; the list has 1 entries/);
    expect(() => set_param(base, 'groups[zz].count', 1, 'grid')).toThrow(/no entry named "zz"; the names are: ws/);
    expect(() => set_param(base, 'kernal.sysctls.x', 1, 'grid')).toThrow(/kernal does not exist; the fields there are: groups, kernel/);
  });
});
