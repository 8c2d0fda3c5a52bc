import { describe, expect, it } from 'vitest';
import { builtin_profile_ids, builtin_profiles, default_builtin_profile_id, get_builtin_profile, parse_kernel_profile } from '../../../model/profile';

describe('builtin kernel profiles', () => {
  it('ship the 6.18.44 reference and Debian 6.1.192, reference first', () => {
    expect(builtin_profile_ids()).toEqual(['6.18.44-reference', 'debian-6.1.192-amd64']);
    expect(default_builtin_profile_id).toBe('6.18.44-reference');
  });
  it('are valid profiles', () => {
    for (const p of builtin_profiles) expect(parse_kernel_profile(p).id).toBe(p.id);
  });
  it('name the known ids when an unknown one is asked for', () => {
    expect(() => get_builtin_profile('5.4')).toThrow(/unknown kernel profile "5.4"; known ids: 6.18.44-reference, debian-6.1.192-amd64/);
  });
  it('mark the 6.1 64 KiB initial-window cap on Debian only (R-5.7)', () => {
    expect(get_builtin_profile('debian-6.1.192-amd64').initial_rcv_wnd_u16_cap).toBe(true);
    expect(get_builtin_profile('6.18.44-reference').initial_rcv_wnd_u16_cap).toBeUndefined();
  });
});

describe('loading a malformed profile', () => {
  const good = () => JSON.parse(JSON.stringify(get_builtin_profile('6.18.44-reference')));
  it('names a missing nested field', () => {
    const bad = good();
    delete bad.slab.filp;
    expect(() => parse_kernel_profile(bad, 'x.json')).toThrow(/x\.json is invalid:[\s\S]*slab\.filp/);
  });
  it('names a field of the wrong type', () => {
    const bad = good();
    bad.sysctl.tcp_rmem = [4096, 'lots', 1];
    expect(() => parse_kernel_profile(bad)).toThrow(/sysctl\.tcp_rmem\[1\]/);
  });
  it('names an unknown field', () => {
    const bad = { ...good(), colour: 'blue' };
    expect(() => parse_kernel_profile(bad)).toThrow(/colour/);
  });
  it('names kmalloc classes that are not ascending', () => {
    const bad = good();
    bad.kmalloc_classes_bytes = [8, 16, 16];
    expect(() => parse_kernel_profile(bad)).toThrow(/kmalloc_classes_bytes\[2\]/);
  });
});
