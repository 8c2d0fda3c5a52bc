import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EnvironmentError } from '../cli/main';
import { ensure_base_archive, host_tools, job_archive } from './build_initramfs';
import { vm_cache_dir } from './cache_dir';
import { decode_transport_blocks, type TransportBlock } from './console_transport';
import { ensure_debian_package } from './debian_package';
import type { GuestJob } from './guest_job';
import { open_kernel_tree, resolve_modules } from './kernel_tree';
import { project_root } from './project_files';
import { find_qemu, run_qemu } from './qemu';
import type { VmKind } from './vm_kinds';

/**
 * Host side of one VM boot: make sure the kernel and busybox packages are cached, build (or
 * reuse) the base initramfs, add the job, boot under qemu (bounded in time), and decode the
 * transport blocks the guest printed on ttyS1. Temporary files live in one directory that is
 * removed afterwards, also on failure (the console log is kept only when the boot failed).
 */
export interface BootResult {
  blocks: TransportBlock[];
  console_tail: string[];
  kernel_package_version: string;
  wall_ms: number;
}

export const KERNEL_CMDLINE = 'console=ttyS0 panic=-1 loglevel=4 mitigations=off tsc=unstable';

/** Everything the rig needs on the host (qemu, packages) and the resolved kernel, or an EnvironmentError. */
export function prepare_vm(kind: VmKind, extra_modules: string[] = []) {
  find_qemu();
  const cache = path.join(vm_cache_dir(), kind.name);
  const kpkg = ensure_debian_package(cache, kind.kernel_package, kind.kernel_package_version);
  const bpkg = ensure_debian_package(cache, kind.busybox_package, 'any');
  const busybox = path.join(bpkg.root, 'bin', 'busybox');
  if (!fs.existsSync(busybox)) throw new EnvironmentError(`${kind.busybox_package} has no bin/busybox`);
  const tree = open_kernel_tree(kpkg.root, kind.kernel_release);
  const wanted = [...new Set([...kind.base_modules, ...extra_modules.filter((m) => tree.index.has(m))])];
  const modules = resolve_modules(tree, wanted);
  const tools = host_tools();
  if (tools.missing.length > 0) {
    throw new EnvironmentError(`host tools missing for the guest: ${tools.missing.join(', ')} (install iproute2 and procps)`);
  }
  return { cache, kpkg, busybox, tree, modules, tools: tools.found };
}

export async function boot_vm(
  kind: VmKind,
  job: GuestJob,
  opts: { timeout_ms: number; extra_modules?: string[]; on_console_line?: (line: string) => void },
): Promise<BootResult> {
  const p = prepare_vm(kind, opts.extra_modules ?? []);
  const base = ensure_base_archive(p.cache, {
    node: process.execPath,
    tools: p.tools,
    busybox: p.busybox,
    tree: p.tree,
    module_rel_paths: p.modules,
    project_root: project_root(),
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-vm-'));
  const tail: string[] = [];
  let ok = false;
  try {
    const initrd = path.join(tmp, 'initrd.cpio.gz');
    fs.copyFileSync(base, initrd);
    fs.appendFileSync(initrd, job_archive(p.tree.release, p.modules, process.execPath, job));
    const transport = path.join(tmp, 'ttyS1.txt');
    const res = await run_qemu({
      kernel: p.tree.vmlinuz,
      initrd,
      append: KERNEL_CMDLINE,
      memory_mib: kind.memory_mib,
      cpus: kind.cpus,
      transport_file: transport,
      timeout_ms: opts.timeout_ms,
      on_signal: (sig) => {
        fs.rmSync(tmp, { recursive: true, force: true });
        process.stderr.write(`tcpmem: ${sig}: stopped the ${kind.name} VM, removed ${tmp}\n`);
        process.exit(sig === 'SIGINT' ? 130 : 143);
      },
      on_console_line: (line) => {
        tail.push(line);
        if (tail.length > 200) tail.shift();
        opts.on_console_line?.(line);
      },
    });
    const text = fs.existsSync(transport) ? fs.readFileSync(transport, 'latin1') : '';
    if (res.timed_out) {
      throw new EnvironmentError(
        `the ${kind.name} VM did not finish within ${Math.round(opts.timeout_ms / 1000)} s and was killed; last console lines:\n  ${tail.slice(-15).join('\n  ')}`,
      );
    }
    let blocks: TransportBlock[];
    try {
      blocks = decode_transport_blocks(text);
    } catch (err) {
      throw new EnvironmentError(`results from the ${kind.name} VM are damaged: ${(err as Error).message}; last console lines:\n  ${tail.slice(-15).join('\n  ')}`);
    }
    ok = true;
    return { blocks, console_tail: tail, kernel_package_version: p.kpkg.version, wall_ms: res.wall_ms };
  } finally {
    if (!ok) {
      const log = path.join(p.cache, 'last-failed-console.log');
      try {
        fs.writeFileSync(log, tail.join('\n') + '\n');
      } catch {
        /* best effort */
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
