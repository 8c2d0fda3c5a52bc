import { describe, expect, it } from 'vitest';
import { parse_ldd_output } from '../../vm/ldd';

// Output of `ldd /usr/bin/node` on the reference host (copied 2026-11-25).
const node_ldd = `	linux-vdso.so.1 (0x00007fe8bce38000)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007fe8bce1f000)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007fe8bcc00000)
	libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007fe8bcb20000)
	libgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0x00007fe8bcb00000)
	libpthread.so.0 => /lib/x86_64-linux-gnu/libpthread.so.0 (0x00007fe8bce1a000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fe8bc91c000)
	/lib64/ld-linux-x86-64.so.2 (0x00007fe8bce3a000)
`;

describe('parse_ldd_output', () => {
  it('lists every library path and the dynamic loader, but not the vDSO', () => {
    expect(parse_ldd_output(node_ldd)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libm.so.6',
      '/lib/x86_64-linux-gnu/libgcc_s.so.1',
      '/lib/x86_64-linux-gnu/libpthread.so.0',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('fails on a library ldd could not find', () => {
    expect(() => parse_ldd_output('\tlibfoo.so.1 => not found\n')).toThrow(/missing shared library: libfoo/);
  });
});
