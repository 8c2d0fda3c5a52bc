import { describe, expect, it } from 'vitest';
import { current_tolerances } from '../../../model/compare/current_tolerances';
import { synthetic_scenario } from './synthetic_run';

describe('current_tolerances', () => {
  const captured = synthetic_scenario({ tolerances: { skmem_r: { rel: 0.01, why: 'old judgement' } } });

  it('applies the scenario file\'s tolerances when it describes the same workload', () => {
    const now = synthetic_scenario({ description: 'reworded', tolerances: { skmem_r: { rel: 0.35, why: 'repeats spread (README)' } } });
    const r = current_tolerances(captured, now);
    expect(r.source).toBe('scenario file');
    expect(r.scenario.tolerances.skmem_r?.rel).toBe(0.35);
    expect(r.scenario.description).toBe(captured.description);
  });

  it('keeps the captured tolerances when the workload changed since the capture', () => {
    const now = synthetic_scenario({ sampling: { interval_ms: 50, duration_ms: 200 }, tolerances: {} });
    const r = current_tolerances(captured, now);
    expect(r.source).toBe('capture');
    expect(r.reason).toMatch(/different workload/);
    expect(r.scenario.tolerances.skmem_r?.rel).toBe(0.01);
  });

  it('keeps the captured tolerances when there is no scenario file', () => {
    expect(current_tolerances(captured, null)).toMatchObject({ source: 'capture', reason: 'scenario file not found' });
  });
});
