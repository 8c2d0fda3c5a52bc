import { describe, expect, it } from 'vitest';
import { netem_commands, parse_ip_link_names } from '../../vm/netem';
import { run_dirs, scenario_modules } from '../../vm/run_vm_capture';
import { parse_scenario } from '../../model/scenario';

describe('netem_commands', () => {
  it('delays lo once in a loopback namespace (RTT = 2 x delay)', () => {
    expect(netem_commands(['ns'], { ns: ['lo'] }, 10)).toEqual([
      ['tc', '-n', 'ns', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '10ms', 'limit', '100000'],
    ]);
  });

  it('delays both veth ends, not lo, in a two-namespace topology', () => {
    const cmds = netem_commands(['c', 's'], { c: ['lo', 'veth0'], s: ['lo', 'veth1'] }, 50);
    expect(cmds.map((c) => [c[2], c[6], c[10]])).toEqual([
      ['c', 'veth0', '50ms'],
      ['s', 'veth1', '50ms'],
    ]);
  });

  it('adds nothing without a delay', () => {
    expect(netem_commands(['ns'], { ns: ['lo'] }, 0)).toEqual([]);
  });
});

describe('parse_ip_link_names', () => {
  it('reads device names from ip -o link, dropping the peer suffix', () => {
    const text = '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\n2: veth0@if3: <BROADCAST,MULTICAST,UP> mtu 1500\n';
    expect(parse_ip_link_names(text)).toEqual(['lo', 'veth0']);
  });
});

describe('run_vm_capture helpers', () => {
  it('writes a single run to --out and repeats to r0, r1, ... like the live capture', () => {
    expect(run_dirs('out', 1)).toEqual(['out']);
    expect(run_dirs('out', 2)).toEqual(['out/r0', 'out/r1']);
  });

  it('asks for the congestion-control modules a scenario names', () => {
    const s = parse_scenario(
      {
        format: 'tcpmem-scenario/1',
        name: 'cc',
        kernel: { sysctls: { 'net.ipv4.tcp_congestion_control': 'bbr' } },
        groups: [{ name: 'g', count: 1, writer_sockopts: { tcp_congestion: 'vegas' }, writer: { program: { kind: 'none' } }, reader: { kind: 'never' } }],
        sampling: { interval_ms: 10, duration_ms: 10 },
      },
      'vm',
    );
    expect(scenario_modules(s)).toEqual(['tcp_bbr', 'tcp_vegas']);
  });
});

describe('split_global_sysctls', () => {
  it('takes tcp_mem out of the scenario for the guest to set in its initial namespace', async () => {
    const { split_global_sysctls, sysctl_proc_path, normalise_sysctl_value } = await import('../../vm/guest_sysctls');
    const s = parse_scenario(
      {
        format: 'tcpmem-scenario/1',
        name: 'p',
        kernel: { sysctls: { 'net.ipv4.tcp_mem': '1024 2048 3072', 'net.ipv4.tcp_rmem': '4096 131072 6291456' } },
        groups: [{ name: 'g', count: 1, writer: { program: { kind: 'none' } }, reader: { kind: 'never' } }],
        sampling: { interval_ms: 10, duration_ms: 10 },
      },
      'vm',
    );
    const r = split_global_sysctls(s);
    expect(r.globals).toEqual([['net.ipv4.tcp_mem', '1024 2048 3072']]);
    expect(r.scenario.kernel.sysctls).toEqual({ 'net.ipv4.tcp_rmem': '4096 131072 6291456' });
    expect(s.kernel.sysctls['net.ipv4.tcp_mem']).toBe('1024 2048 3072'); // the original is untouched
    expect(sysctl_proc_path('net.ipv4.tcp_mem')).toBe('/proc/sys/net/ipv4/tcp_mem');
    expect(() => sysctl_proc_path('../../etc')).toThrow(/bad sysctl name/);
    expect(normalise_sysctl_value('1024\t2048\t3072\n')).toBe('1024 2048 3072');
  });
});
