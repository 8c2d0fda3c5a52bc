import { describe, expect, it } from 'vitest';
import { write_schedule } from '../../../capture/runner/write_schedule';
import { parse_scenario, type ScenarioInput } from '../../../model/scenario';

function group(writer: unknown, count = 4) {
  const s: ScenarioInput = {
    format: 'tcpmem-scenario/1',
    name: 't',
    kernel: {},
    groups: [{ name: 'g', count, writer: writer as ScenarioInput['groups'][number]['writer'], reader: { kind: 'never' } }],
    sampling: { interval_ms: 100, duration_ms: 1000 },
  };
  return parse_scenario(s, 'capture').groups[0];
}

const take = <T>(it: Iterator<T>, n: number) => {
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
};

describe('write_schedule', () => {
  it('spaces the writes of a step by spacing_ms, burst writes at a time', () => {
    // count 5, burst 2, spacing 50: writes at 0,0,50,50,100 (k / burst × spacing), start 10.
    const g = group({ start_ms: 10, program: { kind: 'writes', steps: [{ size_bytes: 3, count: 5, spacing_ms: 50, burst: 2 }] } });
    expect([...write_schedule(g, 0)].map((w) => w.t_ms)).toEqual([10, 10, 60, 60, 110]);
  });

  it('starts the next step spacing_ms after the last write of the previous one, and repeats the list', () => {
    const g = group({ program: { kind: 'writes', repeat: 2, steps: [{ size_bytes: 1, count: 2, spacing_ms: 10 }, { size_bytes: 7, count: 1 }] } });
    // step 1: 0, 10; step 2 at 20 (10 + 10); repeat: step 1 at 20 (step 2 has spacing 0), 30; step 2 at 40.
    expect([...write_schedule(g, 0)].map((w) => [w.t_ms, w.size_bytes])).toEqual([[0, 1], [10, 1], [20, 7], [20, 1], [30, 1], [40, 7]]);
  });

  it('issues no write at or after stop_ms', () => {
    const g = group({ stop_ms: 25, program: { kind: 'writes', steps: [{ size_bytes: 1, count: 10, spacing_ms: 10 }] } });
    expect([...write_schedule(g, 0)].map((w) => w.t_ms)).toEqual([0, 10, 20]);
  });

  it('staggers rate writers evenly over one period', () => {
    // 4 connections at 10 messages/s: period 100 ms, connection 1 starts at 25 ms.
    const g = group({ program: { kind: 'rate', size_bytes: 100, messages_per_s: 10 } });
    expect(take(write_schedule(g, 1), 3).map((w) => w.t_ms)).toEqual([25, 125, 225]);
    const g2 = group({ program: { kind: 'rate', size_bytes: 100, messages_per_s: 10, stagger: false } });
    expect(take(write_schedule(g2, 3), 2).map((w) => w.t_ms)).toEqual([0, 100]);
  });

  it('turns a fill program into one fill action at start_ms', () => {
    const g = group({ start_ms: 5, program: { kind: 'fill', size_bytes: 65536 } });
    expect([...write_schedule(g, 0)]).toEqual([{ t_ms: 5, size_bytes: 65536, fill: true }]);
  });

  it('gives nothing for a writer without a program', () => {
    expect([...write_schedule(group({ program: { kind: 'none' } }), 0)]).toEqual([]);
  });
});
