import type { Figure, FigureMethod } from './plan_types';

const rank: Record<FigureMethod, number> = { analytic_exact: 0, simulation_sample: 1, analytic_estimate: 2, analytic_bound: 3, not_available: 4 };

/** The weakest method of several figures (exact < simulation < estimate < bound < not available). */
export function weakest_method(methods: readonly FigureMethod[]): FigureMethod {
  return methods.reduce<FigureMethod>((a, m) => (rank[m] > rank[a] ? m : a), 'analytic_exact');
}

/** Σ weight × value; null (not_available) if any part is null. */
export function weighted_sum(parts: ReadonlyArray<{ weight: number; figure: Figure }>, scale = 1): Figure {
  let total = 0;
  for (const { weight, figure } of parts) {
    if (figure.value === null) return { value: null, method: 'not_available', note: figure.note };
    total += weight * figure.value * scale;
  }
  return { value: total, method: weakest_method(parts.map((p) => p.figure.method)) };
}

/** The first figure with a value among the candidates (e.g. exact, else simulated, else bound). */
export function first_known(...candidates: Array<Figure | null | undefined>): Figure {
  for (const c of candidates) if (c && c.value !== null) return c;
  const last = candidates.filter((c): c is Figure => !!c).pop();
  return last ?? { value: null, method: 'not_available' };
}
