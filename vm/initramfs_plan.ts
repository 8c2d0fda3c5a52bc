import { cpio_path, parent_dirs } from './cpio_newc';
import { GUEST_BUSYBOX_APPLETS } from './init_script';

/**
 * What goes into the guest's initramfs, as a list (pure): host files copied to the same
 * path in the guest (so Node's and iproute2's library paths resolve unchanged), files with
 * generated content, symlinks, and the device nodes the kernel needs before /init runs.
 */
export type PlannedEntry =
  | { kind: 'dir'; path: string }
  | { kind: 'host_file'; path: string; host_path: string; mode: number }
  | { kind: 'content'; path: string; content: string | Uint8Array; mode: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number };

export interface InitramfsInputs {
  /** Host binaries copied to the same path (node, ip, ss, nstat, tc, sysctl). */
  binaries: string[];
  /** Their shared libraries (absolute paths from ldd). */
  libraries: string[];
  /** Static busybox on the host (extracted from its .deb). */
  busybox_host_path: string;
  /** Modules: guest path → host path, already in load order. */
  modules: Array<{ guest_path: string; host_path: string }>;
  /** Project files (built dist/ and the node_modules the runner needs): guest path → host path. */
  app_files: Array<{ guest_path: string; host_path: string }>;
  init: string;
  job_json: string;
  job_path: string;
}

export const GUEST_ROOT_DIRS = ['bin', 'sbin', 'dev', 'proc', 'sys', 'run', 'tmp', 'var', 'root', 'etc', 'usr', 'usr/bin', 'usr/sbin', 'lib', 'lib64'];

export function plan_initramfs(i: InitramfsInputs): PlannedEntry[] {
  const files: PlannedEntry[] = [
    { kind: 'content', path: 'init', content: i.init, mode: 0o755 },
    { kind: 'host_file', path: 'bin/busybox', host_path: i.busybox_host_path, mode: 0o755 },
    ...GUEST_BUSYBOX_APPLETS.map((a): PlannedEntry => ({ kind: 'symlink', path: `bin/${a}`, target: 'busybox' })),
    { kind: 'content', path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n', mode: 0o644 },
    { kind: 'content', path: 'etc/group', content: 'root:x:0:\n', mode: 0o644 },
    { kind: 'content', path: 'etc/hosts', content: '127.0.0.1 localhost\n::1 localhost\n', mode: 0o644 },
    { kind: 'content', path: i.job_path, content: i.job_json, mode: 0o644 },
    ...i.binaries.map((b): PlannedEntry => ({ kind: 'host_file', path: b, host_path: b, mode: 0o755 })),
    ...i.libraries.map((l): PlannedEntry => ({ kind: 'host_file', path: l, host_path: l, mode: 0o755 })),
    ...i.modules.map((m): PlannedEntry => ({ kind: 'host_file', path: m.guest_path, host_path: m.host_path, mode: 0o644 })),
    ...i.app_files.map((f): PlannedEntry => ({ kind: 'host_file', path: f.guest_path, host_path: f.host_path, mode: 0o644 })),
  ];
  const seen = new Set<string>();
  const unique: PlannedEntry[] = [];
  for (const f of files) {
    const p = cpio_path(f.path);
    if (seen.has(p)) continue;
    seen.add(p);
    unique.push({ ...f, path: p });
  }
  const dirs = new Set([...GUEST_ROOT_DIRS, ...parent_dirs(unique.map((f) => f.path))]);
  const sorted_dirs = [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  return [
    ...sorted_dirs.map((d): PlannedEntry => ({ kind: 'dir', path: d })),
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'chardev', path: 'dev/null', major: 1, minor: 3 },
    ...unique,
  ];
}
