import { parse_scenario, type Scenario } from '../model/scenario';
import { InputError } from '../model/schema/format_zod_error';
import { SWEEP_MAX_POINTS, type SweepEngine, type SweepFile } from './sweep_schema';
import { set_param } from './param_path';
import { hash_of } from './canonical_json';

/** One point of a sweep: its position, a stable id, the parameter values and the exact scenario it runs. */
export interface SweepPoint {
  /** Position in the expansion (grid order: last parameter varies fastest; list order). */
  index: number;
  /** Hash of the parameter values: the same values give the same id in every run and shard. */
  id: string;
  params: Record<string, unknown>;
  profile_id: string;
  scenario: Scenario;
}

export interface ExpandedSweep {
  name: string;
  description: string;
  engine: SweepEngine;
  /** Parameter paths in column order. */
  parameters: string[];
  points: SweepPoint[];
  /** Hash of everything that decides the rows (engine, every point's profile and scenario). */
  sweep_hash: string;
}

/** The special parameter that picks the kernel profile of a point. */
export const PROFILE_PARAM = 'profile';

/**
 * Expands a validated sweep file over its base scenario into points, each validated as a
 * scenario for the simulator. Errors name the sweep field (grid / list entry) and the bad
 * scenario field. Deterministic: the same file and base give the same points, ids and hash.
 */
export function expand_sweep(sweep: SweepFile, base: unknown, known_profiles: readonly string[]): ExpandedSweep {
  const base_scenario = parse_scenario(base, 'simulate', 'sweep base scenario');
  const assignments: Array<{ params: Record<string, unknown>; where: string }> = [];
  let parameters: string[];
  if (sweep.grid) {
    parameters = Object.keys(sweep.grid);
    const axes = parameters.map((k) => sweep.grid![k]);
    const total = axes.reduce((a, v) => a * v.length, 1);
    if (total > SWEEP_MAX_POINTS) throw new InputError(`sweep is invalid:\n  - grid: ${total} points; at most ${SWEEP_MAX_POINTS} (split it into several sweeps)`);
    for (let n = 0; n < total; n++) {
      const params: Record<string, unknown> = {};
      let rest = n;
      for (let a = axes.length - 1; a >= 0; a--) {
        params[parameters[a]] = axes[a][rest % axes[a].length];
        rest = Math.floor(rest / axes[a].length);
      }
      const ordered: Record<string, unknown> = {};
      for (const k of parameters) ordered[k] = params[k];
      assignments.push({ params: ordered, where: 'grid' });
    }
  } else {
    const list = sweep.list!;
    if (list.length > SWEEP_MAX_POINTS) throw new InputError(`sweep is invalid:\n  - list: ${list.length} points; at most ${SWEEP_MAX_POINTS}`);
    const seen = new Set<string>();
    for (const e of list) for (const k of Object.keys(e)) seen.add(k);
    parameters = [...seen];
    list.forEach((e, i) => assignments.push({ params: e, where: `list[${i}]` }));
  }

  const points: SweepPoint[] = [];
  const ids = new Map<string, number>();
  for (const [index, a] of assignments.entries()) {
    let value: unknown = base_scenario;
    let profile_id = sweep.profile;
    for (const [path, v] of Object.entries(a.params)) {
      const where = a.where === 'grid' ? `sweep is invalid: grid["${path}"]` : `sweep is invalid: ${a.where}["${path}"]`;
      if (path === PROFILE_PARAM) {
        if (typeof v !== 'string' || !known_profiles.includes(v)) {
          throw new InputError(`${where}: ${JSON.stringify(v)} is not a known kernel profile; allowed: ${known_profiles.join(', ')}`);
        }
        profile_id = v;
        continue;
      }
      value = set_param(value, path, v, where);
    }
    if (!known_profiles.includes(profile_id)) {
      throw new InputError(`sweep is invalid:\n  - profile: "${profile_id}" is not a known kernel profile; allowed: ${known_profiles.join(', ')}`);
    }
    const label = Object.entries(a.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    const scenario = parse_scenario(value, 'simulate', `sweep point ${index} (${a.where === 'grid' ? '' : a.where + ': '}${label})`);
    const id = hash_of(a.params, 12);
    const dup = ids.get(id);
    if (dup !== undefined) throw new InputError(`sweep is invalid:\n  - ${a.where === 'grid' ? 'grid' : a.where}: point ${index} repeats point ${dup} (${label})`);
    ids.set(id, index);
    points.push({ index, id, params: a.params, profile_id, scenario });
  }
  const sweep_hash = hash_of({ engine: sweep.engine, points: points.map((p) => ({ id: p.id, profile: p.profile_id, scenario: p.scenario })) }, 16);
  return { name: sweep.name, description: sweep.description, engine: sweep.engine, parameters, points, sweep_hash };
}
