import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { cpio_newc_archive, type CpioEntry } from './cpio_newc';
import { init_script } from './init_script';
import { plan_initramfs, type PlannedEntry } from './initramfs_plan';
import type { KernelTree } from './kernel_tree';
import { shared_libraries } from './ldd';
import { guest_app_files, GUEST_MAIN_REL } from './project_files';

/**
 * Builds the guest initramfs as two concatenated gzip'd newc archives (the kernel unpacks
 * them in order): a large cached "base" (busybox, node and iproute2 with their libraries,
 * the project's dist/ and the node_modules it loads, the modules) keyed by a hash of every
 * input file's path, size and mtime; and a small per-run "job" part (/init, the job file).
 */
export const GUEST_APP_ROOT = '/opt/tcpmem';
export const GUEST_JOB_PATH = '/opt/tcpmem-job.json';
export const GUEST_TRANSPORT_TTY = '/dev/ttyS1';
/** Host tools the runner calls inside the guest (the same binaries as on the host). */
export const GUEST_HOST_TOOLS = ['ip', 'ss', 'nstat', 'tc', 'sysctl'];

export interface BaseInputs {
  node: string;
  tools: string[];
  busybox: string;
  tree: KernelTree;
  module_rel_paths: string[];
  project_root: string;
}

function which(tool: string): string | null {
  for (const d of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').concat(['/usr/sbin', '/sbin'])) {
    const p = path.join(d, tool);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

export function host_tools(): { found: string[]; missing: string[] } {
  const found: string[] = [];
  const missing: string[] = [];
  for (const t of GUEST_HOST_TOOLS) {
    const p = which(t);
    if (p) found.push(p);
    else missing.push(t);
  }
  return { found, missing };
}

function to_cpio(entries: PlannedEntry[]): CpioEntry[] {
  return entries.map((e): CpioEntry => {
    switch (e.kind) {
      case 'dir':
        return { kind: 'dir', path: e.path };
      case 'symlink':
        return { kind: 'symlink', path: e.path, target: e.target };
      case 'chardev':
        return { kind: 'chardev', path: e.path, major: e.major, minor: e.minor };
      case 'content':
        return { kind: 'file', path: e.path, mode: e.mode, data: typeof e.content === 'string' ? Buffer.from(e.content) : e.content };
      case 'host_file':
        return { kind: 'file', path: e.path, mode: e.mode, data: fs.readFileSync(e.host_path) };
    }
  });
}

function base_entries(b: BaseInputs): PlannedEntry[] {
  const binaries = [b.node, ...b.tools];
  const libraries = shared_libraries(binaries);
  const app = guest_app_files(b.project_root).map((f) => ({
    guest_path: path.posix.join(GUEST_APP_ROOT, path.relative(b.project_root, f)),
    host_path: f,
  }));
  const modules = b.module_rel_paths.map((rel) => ({
    guest_path: path.posix.join('/lib/modules', b.tree.release, rel),
    host_path: path.join(b.tree.modules_dir, rel),
  }));
  const all = plan_initramfs({
    binaries,
    libraries,
    busybox_host_path: b.busybox,
    modules,
    app_files: app,
    init: '',
    job_json: '',
    job_path: GUEST_JOB_PATH,
  });
  // /init and the job file belong to the per-run archive.
  return all.filter((e) => e.path !== 'init' && e.path !== GUEST_JOB_PATH.slice(1));
}

/** Returns the path of the cached base archive, building it when its inputs changed. */
export function ensure_base_archive(cache: string, b: BaseInputs): string {
  const entries = base_entries(b);
  const h = createHash('sha256');
  for (const e of entries) {
    h.update(`${e.kind} ${e.path}`);
    if (e.kind === 'host_file') {
      const st = fs.statSync(e.host_path);
      h.update(` ${e.host_path} ${st.size} ${st.mtimeMs}`);
    } else if (e.kind === 'symlink') h.update(` -> ${e.target}`);
    h.update('\n');
  }
  const dir = path.join(cache, 'initramfs');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `base-${h.digest('hex').slice(0, 16)}.cpio.gz`);
  if (fs.existsSync(out)) return out;
  // Older bases are stale (inputs changed): remove them so the cache does not grow without bound.
  for (const f of fs.readdirSync(dir)) if (/^base-[0-9a-f]+\.cpio\.gz$/.test(f)) fs.rmSync(path.join(dir, f), { force: true });
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, gzipSync(cpio_newc_archive(to_cpio(entries)), { level: 1 }));
    fs.renameSync(tmp, out);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return out;
}

/** The per-run archive: /init (which loads `module_rel_paths` in order) and the job file. */
export function job_archive(release: string, module_rel_paths: string[], node: string, job: unknown): Buffer {
  const init = init_script({
    module_paths: module_rel_paths.map((rel) => path.posix.join('/lib/modules', release, rel)),
    node_path: node,
    guest_main: path.posix.join(GUEST_APP_ROOT, GUEST_MAIN_REL),
    job_path: GUEST_JOB_PATH,
    transport_tty: GUEST_TRANSPORT_TTY,
  });
  const entries: CpioEntry[] = [
    { kind: 'file', path: 'init', mode: 0o755, data: Buffer.from(init) },
    { kind: 'dir', path: 'opt' },
    { kind: 'file', path: GUEST_JOB_PATH, mode: 0o644, data: Buffer.from(JSON.stringify(job)) },
  ];
  return gzipSync(cpio_newc_archive(entries));
}
