export { kernel_profile_schema, parse_kernel_profile, slab_names, extra_slab_names, slab_cache_names } from './kernel_profile';
export type { KernelProfile, SlabName, ExtraSlabName } from './kernel_profile';
export * from './builtin_profiles';
export * from './derive_profile';
