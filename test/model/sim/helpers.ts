import { parse_scenario } from '../../../model/scenario/parse_scenario';
import { get_builtin_profile } from '../../../model/profile/builtin_profiles';
import { simulate, type SimOptions, type SimResult } from '../../../model/sim';
import type { SocketSample } from '../../../model/run_output/run_output';

export const REF = '6.18.44-reference';
export const DEB = 'debian-6.1.192-amd64';

/** A one-group loopback scenario; `group` fields override the defaults. */
export function one_group(group: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return {
    format: 'tcpmem-scenario/1',
    name: 'unit',
    kernel: {},
    groups: [{ name: 'g', count: 1, writer: { program: { kind: 'none' } }, reader: { kind: 'never' }, ...group }],
    sampling: { interval_ms: 1000, duration_ms: 1000 },
    ...extra,
  };
}

export function run(value: unknown, profile = REF, opts: SimOptions = {}, target: 'simulate' | 'vm' = 'simulate'): SimResult {
  return simulate(parse_scenario(value, target), get_builtin_profile(profile), opts);
}

/** The row of a side at the last sample. */
export function last_row(r: SimResult, side: 'client' | 'server', group = 'g'): SocketSample {
  const t = r.run.global[r.run.global.length - 1].t_ms;
  const row = r.run.sockets.find((x) => x.t_ms === t && x.side === side && x.group === group);
  if (!row) throw new Error(`no ${side} row at t=${t}`);
  return row;
}

export function last_global(r: SimResult): Record<string, number | null> {
  return r.run.global[r.run.global.length - 1].values;
}
