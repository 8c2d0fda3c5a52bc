import { parse_scenario } from '../scenario/parse_scenario';
import { vm_only_sysctls, type Scenario } from '../scenario/scenario_schema';

/**
 * Validates a scenario for the simulator. The simulator also runs VM scenarios (issue 8), whose global
 * sysctls (tcp_mem, rmem_max, mem_pcpu_rsv, …) a namespace capture may not set, without the limits of a
 * live capture (connection count, duration, NIC links). So the VM-only sysctls are set aside, the rest is
 * checked as a `simulate` scenario, and they are put back; `effective_profile` then checks their values.
 */
export function parse_sim_scenario(value: unknown, where = 'scenario'): Scenario {
  const v = value as { kernel?: { sysctls?: Record<string, unknown> } } | null;
  const sysctls = v && typeof v === 'object' && v.kernel && typeof v.kernel === 'object' ? v.kernel.sysctls : undefined;
  if (!sysctls || typeof sysctls !== 'object') return parse_scenario(value, 'simulate', where);
  const vm_only: Record<string, string | number> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(sysctls)) {
    if ((vm_only_sysctls as readonly string[]).includes(k) && (typeof x === 'string' || typeof x === 'number')) vm_only[k] = x;
    else rest[k] = x;
  }
  const s = parse_scenario({ ...v, kernel: { ...v!.kernel, sysctls: rest } }, 'simulate', where);
  s.kernel.sysctls = { ...s.kernel.sysctls, ...vm_only };
  return s;
}
