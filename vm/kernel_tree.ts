import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../cli/main';
import { module_depends, module_load_order, module_name } from './modules_dep';

/**
 * An unpacked linux-image package: the kernel image and its modules, with the module
 * dependency map computed from each .ko's .modinfo (the package ships no modules.dep: depmod
 * runs at install time).
 */
export interface KernelTree {
  release: string;
  vmlinuz: string;
  modules_dir: string;
  /** Normalised module name → path relative to modules_dir. */
  index: Map<string, string>;
  builtin: Set<string>;
}

export function open_kernel_tree(root: string, release: string): KernelTree {
  const vmlinuz = path.join(root, 'boot', `vmlinuz-${release}`);
  const modules_dir = path.join(root, 'lib', 'modules', release);
  if (!fs.existsSync(vmlinuz) || !fs.existsSync(modules_dir)) {
    throw new EnvironmentError(`kernel package at ${root} has no vmlinuz-${release} or lib/modules/${release}`);
  }
  const index = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(modules_dir, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (/\.ko(\.(xz|zst|gz))?$/.test(e.name)) index.set(module_name(e.name), r);
    }
  };
  walk('kernel');
  const builtin = new Set<string>();
  const bpath = path.join(modules_dir, 'modules.builtin');
  if (fs.existsSync(bpath)) for (const l of fs.readFileSync(bpath, 'utf8').split('\n')) if (l.trim()) builtin.add(module_name(l.trim()));
  return { release, vmlinuz, modules_dir, index, builtin };
}

/** Modules to load for `wanted` (plus dependencies), in load order, as paths relative to modules_dir. */
export function resolve_modules(tree: KernelTree, wanted: readonly string[]): string[] {
  const deps = new Map<string, string[]>();
  const todo = [...wanted.map(module_name)];
  while (todo.length > 0) {
    const m = todo.pop()!;
    if (deps.has(m)) continue;
    const rel = tree.index.get(m);
    if (rel === undefined) continue; // built in, or missing: module_load_order reports it
    if (!rel.endsWith('.ko')) throw new EnvironmentError(`module ${rel} is compressed; this rig loads plain .ko files with busybox insmod`);
    const d = module_depends(fs.readFileSync(path.join(tree.modules_dir, rel)));
    deps.set(m, d);
    todo.push(...d);
  }
  try {
    return module_load_order(wanted, deps, tree.builtin).map((m) => tree.index.get(m)!);
  } catch (err) {
    throw new EnvironmentError(`kernel ${tree.release}: ${(err as Error).message}`);
  }
}
