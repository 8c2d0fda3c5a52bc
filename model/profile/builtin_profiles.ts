import reference_6_18 from '../../data/profiles/linux-6.18.44-reference.json';
import debian_6_1 from '../../data/profiles/debian-6.1.192-amd64.json';
import { InputError } from '../schema/format_zod_error';
import { parse_kernel_profile, type KernelProfile } from './kernel_profile';

/**
 * The profiles shipped in data/profiles, imported as modules (no I/O) and validated once at load.
 * The first one is the default when the running host cannot be read.
 */
export const builtin_profiles: readonly KernelProfile[] = [
  parse_kernel_profile(reference_6_18, 'data/profiles/linux-6.18.44-reference.json'),
  parse_kernel_profile(debian_6_1, 'data/profiles/debian-6.1.192-amd64.json'),
];

/** Id of the profile used when nothing else is known: the 6.18.44 reference host. */
export const default_builtin_profile_id = builtin_profiles[0].id;

export function builtin_profile_ids(): string[] {
  return builtin_profiles.map((p) => p.id);
}

/** The builtin profile with this id; an InputError listing the known ids otherwise. */
export function get_builtin_profile(id: string): KernelProfile {
  const p = builtin_profiles.find((x) => x.id === id);
  if (!p) throw new InputError(`unknown kernel profile "${id}"; known ids: ${builtin_profile_ids().join(', ')} (or a path to a profile .json, or "host")`);
  return p;
}
