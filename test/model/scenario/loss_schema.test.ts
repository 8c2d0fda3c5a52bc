import { describe, expect, it } from 'vitest';
import { parse_scenario } from '../../../model/scenario/parse_scenario';

const with_loss = (loss: unknown) => ({
  format: 'tcpmem-scenario/1',
  name: 'x',
  kernel: { loss },
  groups: [{ name: 'g', count: 1, writer: { program: { kind: 'none' } }, reader: { kind: 'never' } }],
  sampling: { interval_ms: 100, duration_ms: 100 },
});
const error_of = (loss: unknown): string => {
  try {
    parse_scenario(with_loss(loss), 'simulate');
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('scenario schema: kernel.loss', () => {
  it('defaults to no loss and accepts the deterministic and random kinds', () => {
    expect(parse_scenario(with_loss(undefined), 'simulate').kernel.loss).toBeUndefined();
    expect(parse_scenario(with_loss({ kind: 'deterministic', direction: 'to_server', every_n: 50 }), 'simulate').kernel.loss).toEqual({
      kind: 'deterministic',
      direction: 'to_server',
      every_n: 50,
    });
    expect(parse_scenario(with_loss({ kind: 'deterministic', direction: 'to_client', at: [3, 7] }), 'simulate').kernel.loss?.kind).toBe('deterministic');
    expect(parse_scenario(with_loss({ kind: 'random', direction: 'to_server', probability: 0.01 }), 'simulate').kernel.loss?.kind).toBe('random');
  });

  it('rejects every_n below 2 naming kernel.loss.every_n', () => {
    expect(error_of({ kind: 'deterministic', direction: 'to_server', every_n: 1 })).toMatch(/kernel\.loss\.every_n.*≥ 2/);
  });

  it('rejects an unknown direction naming kernel.loss.direction and the allowed values', () => {
    expect(error_of({ kind: 'deterministic', direction: 'up', every_n: 3 })).toMatch(/kernel\.loss\.direction.*to_server.*to_client/);
  });

  it('rejects a deterministic spec with neither every_n nor at', () => {
    expect(error_of({ kind: 'deterministic', direction: 'to_server' })).toMatch(/kernel\.loss.*exactly one of every_n.*or at/);
  });

  it('rejects a probability above 0.5 and an unknown kind, naming the field', () => {
    expect(error_of({ kind: 'random', direction: 'to_server', probability: 2 })).toMatch(/kernel\.loss\.probability/);
    expect(error_of({ kind: 'burst', direction: 'to_server' })).toMatch(/kernel\.loss\.kind.*deterministic.*random/);
  });

  it('rejects unknown fields (strict objects)', () => {
    expect(error_of({ kind: 'random', direction: 'to_server', probability: 0.1, seed: 3 })).toMatch(/kernel\.loss.*seed/);
  });
});
