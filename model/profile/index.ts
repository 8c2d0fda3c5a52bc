export { kernel_profile_schema, parse_kernel_profile, slab_names } from './kernel_profile';
export type { KernelProfile, SlabName } from './kernel_profile';
