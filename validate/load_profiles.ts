import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse_kernel_profile, type KernelProfile } from '../model/profile/kernel_profile';
import { builtin_profiles } from '../model/profile/builtin_profiles';
import { package_root } from './package_root';

/**
 * Every known kernel profile: the builtin registry of model/profile (`builtin_profiles`),
 * then data/profiles/*.json (parsed and checked). Later duplicates of
 * an id are dropped.
 */
export function load_profiles(dir = path.join(package_root(), 'data', 'profiles')): KernelProfile[] {
  const out: KernelProfile[] = [];
  const ids = new Set<string>();
  const add = (p: KernelProfile): void => {
    if (!ids.has(p.id)) {
      ids.add(p.id);
      out.push(p);
    }
  };
  for (const p of builtin_profiles) add(p);
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
      const file = path.join(dir, f);
      add(parse_kernel_profile(JSON.parse(fs.readFileSync(file, 'utf8')), file));
    }
  }
  return out;
}
