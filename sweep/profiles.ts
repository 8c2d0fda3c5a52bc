import { builtin_profile_ids, get_builtin_profile, type KernelProfile } from '../model/profile';
import { InputError } from '../model/schema/format_zod_error';

/** The builtin profile with this id; an InputError names the flag and lists the known ids. */
export function load_profile(id: string): KernelProfile {
  try {
    return get_builtin_profile(id);
  } catch {
    throw new InputError(`--profile: "${id}" is not a known kernel profile; allowed: ${builtin_profile_ids().join(', ')}`);
  }
}

export function profile_ids(): string[] {
  return builtin_profile_ids();
}
