import { describe, expect, it } from 'vitest';
import { cpio_newc_archive, cpio_path, parent_dirs } from '../../vm/cpio_newc';

// Layout by hand from the newc format (Documentation/driver-api/early-userspace/buffer-format.rst):
// a 110-byte ASCII header ("070701" + 13 eight-digit hex fields), the NUL-terminated name,
// padding to a multiple of 4, the data, padding to a multiple of 4; the archive ends with
// an entry named TRAILER!!!.
describe('cpio_newc_archive', () => {
  it('writes a directory entry followed by the trailer with 4-byte padding', () => {
    const a = cpio_newc_archive([{ kind: 'dir', path: '/a' }]);
    // entry: 110 + "a\0" (2) = 112 (already aligned); trailer: 110 + "TRAILER!!!\0" (11) = 121 → 124.
    expect(a.length).toBe(112 + 124);
    const h = a.toString('ascii', 0, 110);
    expect(h.slice(0, 6)).toBe('070701');
    expect(h.slice(6, 14)).toBe('00000001'); // ino
    expect(h.slice(14, 22)).toBe('000041ed'); // S_IFDIR | 0755 = 0x4000 | 0x1ed
    expect(h.slice(94, 102)).toBe('00000002'); // namesize includes the NUL
    expect(a.toString('ascii', 110, 111)).toBe('a');
    expect(a.toString('ascii', 112 + 110, 112 + 120)).toBe('TRAILER!!!');
  });

  it('pads file data to four bytes and records its size and mode', () => {
    const a = cpio_newc_archive([{ kind: 'file', path: 'f', data: Buffer.from('hello'), mode: 0o755 }]);
    const h = a.toString('ascii', 0, 110);
    expect(h.slice(14, 22)).toBe('000081ed'); // S_IFREG | 0755 = 0x8000 | 0x1ed
    expect(h.slice(54, 62)).toBe('00000005'); // filesize
    expect(a.toString('ascii', 112, 117)).toBe('hello');
    expect([...a.subarray(117, 120)]).toEqual([0, 0, 0]);
    expect(a.toString('ascii', 120, 126)).toBe('070701'); // the trailer starts aligned
  });

  it('stores a character device with its major and minor numbers', () => {
    const a = cpio_newc_archive([{ kind: 'chardev', path: 'dev/console', major: 5, minor: 1 }]);
    const h = a.toString('ascii', 0, 110);
    expect(h.slice(14, 22)).toBe('00002180'); // S_IFCHR | 0600 = 0x2000 | 0x180
    expect(h.slice(78, 86)).toBe('00000005'); // rdevmajor
    expect(h.slice(86, 94)).toBe('00000001'); // rdevminor
  });

  it('stores a symlink target as the entry data', () => {
    const a = cpio_newc_archive([{ kind: 'symlink', path: 'bin/sh', target: 'busybox' }]);
    expect(a.toString('ascii', 0, 110).slice(14, 22)).toBe('0000a1ff'); // S_IFLNK | 0777
    // name "bin/sh\0" = 7 → 117 → padded to 120; data "busybox" follows.
    expect(a.toString('ascii', 120, 127)).toBe('busybox');
  });

  it('refuses paths that escape the archive root', () => {
    expect(() => cpio_path('../etc/passwd')).toThrow(/bad initramfs path/);
    expect(() => cpio_path('/')).toThrow(/bad initramfs path/);
  });

  it('lists parent directories before their children, once each', () => {
    expect(parent_dirs(['/usr/lib/x/a.so', 'usr/lib/b.so', 'opt/c'])).toEqual(['opt', 'usr', 'usr/lib', 'usr/lib/x']);
  });
});
