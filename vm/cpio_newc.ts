/**
 * A writer for the "newc" cpio format (the format the kernel unpacks as an initramfs,
 * Documentation/driver-api/early-userspace/buffer-format.rst). Pure: entries in, bytes out.
 * Written here because the host has no `cpio` binary and we need device nodes (/dev/console)
 * without being able to mknod them on disk.
 */
export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`cpio field out of range: ${n}`);
  return n.toString(16).padStart(8, '0');
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

/** Strips a leading "/" (cpio paths are relative to the root of the initramfs). */
export function cpio_path(p: string): string {
  const s = p.replace(/^\/+/, '').replace(/\/+$/, '');
  if (s === '' || s.split('/').some((c) => c === '..' || c === '')) throw new RangeError(`bad initramfs path: ${JSON.stringify(p)}`);
  return s;
}

function header(ino: number, mode: number, nlink: number, filesize: number, rmaj: number, rmin: number, namesize: number): string {
  return (
    '070701' +
    [ino, mode, 0, 0, nlink, 0, filesize, 0, 0, rmaj, rmin, namesize, 0].map(hex8).join('')
  );
}

/** Serialises entries (in the order given; parents must come before children) plus the trailer. */
export function cpio_newc_archive(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer): void => {
    parts.push(b);
    offset += b.length;
  };
  const emit = (ino: number, mode: number, nlink: number, name: string, data: Buffer, rmaj = 0, rmin = 0): void => {
    const name_bytes = Buffer.from(name + '\0', 'utf8');
    push(Buffer.from(header(ino, mode, nlink, data.length, rmaj, rmin, name_bytes.length), 'ascii'));
    push(name_bytes);
    push(Buffer.alloc(pad4(offset)));
    push(data);
    push(Buffer.alloc(pad4(offset)));
  };
  let ino = 1;
  for (const e of entries) {
    const name = cpio_path(e.path);
    switch (e.kind) {
      case 'dir':
        emit(ino++, S_IFDIR | (e.mode ?? 0o755), 2, name, Buffer.alloc(0));
        break;
      case 'file':
        emit(ino++, S_IFREG | (e.mode ?? 0o644), 1, name, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength));
        break;
      case 'symlink':
        emit(ino++, S_IFLNK | 0o777, 1, name, Buffer.from(e.target, 'utf8'));
        break;
      case 'chardev':
        emit(ino++, S_IFCHR | (e.mode ?? 0o600), 1, name, Buffer.alloc(0), e.major, e.minor);
        break;
    }
  }
  emit(0, 0, 1, 'TRAILER!!!', Buffer.alloc(0));
  return Buffer.concat(parts);
}

/** Every ancestor directory of the given paths, parents first, without duplicates. */
export function parent_dirs(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const parts = cpio_path(p).split('/');
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('/'));
  }
  return [...out].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}
