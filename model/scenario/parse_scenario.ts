import { format_zod_error, InputError } from '../schema/format_zod_error';
import { namespaced_sysctls, scenario_schema, vm_only_sysctls, type Scenario } from './scenario_schema';

/** Where a scenario will run: each target adds its own limits on top of the schema. */
export type ScenarioTarget = 'simulate' | 'capture' | 'vm';

/** Most connections a live capture may open: 2 fds per connection plus listeners stay under 20,000. */
export const CAPTURE_MAX_CONNECTIONS = 9_900;

/**
 * Validates a parsed JSON value as a scenario for the given target. Throws an InputError
 * that names every bad field and what is allowed.
 */
export function parse_scenario(value: unknown, target: ScenarioTarget, where = 'scenario'): Scenario {
  const r = scenario_schema.safeParse(value);
  if (!r.success) throw new InputError(format_zod_error(where, r.error));
  const s = r.data;
  const problems: string[] = [];

  const allowed: readonly string[] =
    target === 'vm' ? [...namespaced_sysctls, ...vm_only_sysctls] : namespaced_sysctls;
  for (const key of Object.keys(s.kernel.sysctls)) {
    if (!allowed.includes(key)) {
      const extra = (vm_only_sysctls as readonly string[]).includes(key)
        ? ' (it is global on the host: only a VM capture may set it)'
        : '';
      problems.push(`kernel.sysctls.${key}: not a per-namespace sysctl this tool sets${extra}; allowed: ${allowed.join(', ')}`);
    }
  }
  for (const [i, g] of s.groups.entries()) {
    const rd = g.reader;
    if (rd.kind !== 'never') {
      for (const [j, st] of rd.stalls.entries()) {
        if (st.to_ms <= st.from_ms) problems.push(`groups[${i}].reader.stalls[${j}]: to_ms (${st.to_ms}) must be after from_ms (${st.from_ms})`);
      }
    }
    if (g.writer.stop_ms !== undefined && g.writer.stop_ms <= g.writer.start_ms) {
      problems.push(`groups[${i}].writer.stop_ms: must be after start_ms (${g.writer.start_ms})`);
    }
  }
  const names = new Set<string>();
  for (const [i, g] of s.groups.entries()) {
    if (names.has(g.name)) problems.push(`groups[${i}].name: "${g.name}" is used by another group; names must be unique`);
    names.add(g.name);
  }
  if (s.sampling.interval_ms > s.sampling.duration_ms) {
    problems.push(`sampling.interval_ms: ${s.sampling.interval_ms} is longer than sampling.duration_ms (${s.sampling.duration_ms})`);
  }

  if (target !== 'simulate') {
    const total = s.groups.reduce((a, g) => a + g.count, 0);
    if (total > CAPTURE_MAX_CONNECTIONS) {
      problems.push(`groups[].count: ${total} connections in all; a capture opens at most ${CAPTURE_MAX_CONNECTIONS} (2 fds each, 20,000 fds in all)`);
    }
    if (s.kernel.link.kind === 'nic') {
      problems.push(`kernel.link.kind: "nic" is simulation-only; a capture allows "loopback" or "veth"`);
    }
    if (s.sampling.duration_ms > 600_000) {
      problems.push(`sampling.duration_ms: ${s.sampling.duration_ms} is over the 600000 ms a capture may run`);
    }
  }
  if (target === 'capture' && s.kernel.netem_delay_ms > 0) {
    problems.push(`kernel.netem_delay_ms: this host kernel has no netem; added delay needs a VM capture (--vm)`);
  }
  if (target === 'vm' && s.kernel.loss) {
    problems.push(`kernel.loss: a VM capture does not apply link loss; use a host capture (tcpmem capture without --vm)`);
  }
  if (target === 'capture' && s.kernel.ip === 'ipv6' && s.kernel.link.kind === 'loopback') {
    // allowed: ::1 exists in every namespace once lo is up
  }
  if (problems.length > 0) {
    throw new InputError(`${where} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return s;
}
