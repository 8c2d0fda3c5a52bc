import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { match_profile, profile_for_run } from '../../../model/compare/profile_for_run';
import { parse_kernel_profile } from '../../../model/profile/kernel_profile';
import { synthetic_scenario } from './synthetic_run';

const ref = parse_kernel_profile(
  JSON.parse(fs.readFileSync(path.join(__dirname, '../../../data/profiles/linux-6.18.44-reference.json'), 'utf8')),
);

describe('profile_for_run', () => {
  it('writes the capture\'s recorded sysctls over the profile, then the scenario\'s own', () => {
    const scenario = synthetic_scenario({ kernel: { sysctls: { 'net.ipv4.tcp_rmem': '4096 65536 65536' } } });
    const { profile, applied } = profile_for_run(ref, {
      sysctls: { 'net.ipv4.tcp_rmem': '4096\t131072\t6291456', 'net.ipv4.tcp_wmem': '4096\t16384\t4194304', 'net.ipv4.tcp_moderate_rcvbuf': '0' },
      scenario,
      host: { cpus: 4, mem_total_bytes: null, machine: null },
    });
    expect(profile.sysctl.tcp_rmem).toEqual([4096, 65536, 65536]);
    expect(profile.sysctl.tcp_moderate_rcvbuf).toBe(0);
    expect(profile.nr_cpus).toBe(4);
    expect(applied).toContain('net.ipv4.tcp_wmem');
    // the input profile is left untouched
    expect(ref.sysctl.tcp_rmem).toEqual([4096, 131072, 33554432]);
  });

  it('reports a sysctl it cannot parse instead of guessing', () => {
    const { profile, ignored } = profile_for_run(ref, {
      sysctls: { 'net.ipv4.tcp_rmem': '4096 lots' },
      scenario: synthetic_scenario(),
      host: { cpus: 2, mem_total_bytes: null, machine: null },
    });
    expect(ignored).toEqual(['net.ipv4.tcp_rmem=4096 lots']);
    expect(profile.sysctl.tcp_rmem).toEqual(ref.sysctl.tcp_rmem);
  });

  it('matches a profile by exact kernel release', () => {
    expect(match_profile([ref], '6.18.44-fc-v782')?.id).toBe('6.18.44-reference');
    expect(match_profile([ref], '6.18.45')).toBeNull();
  });

  it('falls back to a profile measured on another build of the same kernel version', () => {
    expect(match_profile([ref], '6.18.44-fc-v1147')?.id).toBe('6.18.44-reference');
    expect(match_profile([ref], '6.18.4-fc-v782')).toBeNull();
    expect(match_profile([ref], 'not-a-release')).toBeNull();
  });

  it('prefers the exact release over another build of the same version', () => {
    const other = { ...ref, id: 'other-build', release: '6.18.44-other' };
    expect(match_profile([other, ref], '6.18.44-fc-v782')?.id).toBe('6.18.44-reference');
  });
});
