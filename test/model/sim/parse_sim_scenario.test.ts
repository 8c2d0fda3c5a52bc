import { describe, expect, it } from 'vitest';
import { parse_sim_scenario } from '../../../model/sim/parse_sim_scenario';
import { effective_profile } from '../../../model/sim/effective_profile';
import { get_builtin_profile } from '../../../model/profile/builtin_profiles';
import { one_group } from './helpers';

describe('parse_sim_scenario', () => {
  it('accepts the global sysctls of a VM scenario and keeps them for the profile', () => {
    const s = parse_sim_scenario(one_group({}, { kernel: { sysctls: { 'net.ipv4.tcp_mem': '10 20 30', 'net.ipv4.tcp_rmem': '4096 8192 16384' } } }));
    expect(s.kernel.sysctls['net.ipv4.tcp_mem']).toBe('10 20 30');
    const p = effective_profile(get_builtin_profile('6.18.44-reference'), s).profile;
    expect(p.sysctl.tcp_mem).toEqual([10, 20, 30]);
    expect(p.sysctl.tcp_rmem).toEqual([4096, 8192, 16384]);
  });

  it('still rejects sysctls that are neither per-namespace nor VM ones, naming them', () => {
    expect(() => parse_sim_scenario(one_group({}, { kernel: { sysctls: { 'vm.swappiness': 10 } } }))).toThrow(/kernel\.sysctls\.vm\.swappiness/);
  });

  it('names a malformed tcp_mem value', () => {
    const s = parse_sim_scenario(one_group({}, { kernel: { sysctls: { 'net.ipv4.tcp_mem': '10 20' } } }));
    expect(() => effective_profile(get_builtin_profile('6.18.44-reference'), s)).toThrow(/kernel\.sysctls\.net\.ipv4\.tcp_mem: "10 20" is not three whole numbers/);
  });
});
