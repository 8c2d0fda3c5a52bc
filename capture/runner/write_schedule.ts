import type { ConnectionGroup } from '../../model/scenario';

/** One scheduled application write: `size_bytes` handed to one send() call at `t_ms`. */
export interface ScheduledWrite {
  t_ms: number;
  size_bytes: number;
  /** A "fill" action: keep sending size_bytes until the socket refuses (EAGAIN), then stop. */
  fill: boolean;
}

/**
 * The writes one connection's writer performs, in time order (t_ms from the workload's t=0),
 * generated lazily (a program may hold millions of writes). Semantics (documented in
 * data/README.md, shared with the simulator):
 * - `writes`: within a step, write k happens at step_start + floor(k / burst) × spacing_ms;
 *   the next step starts spacing_ms after the last burst of the previous one; the list of
 *   steps is run `repeat` times back to back.
 * - `rate`: message i at start_ms + offset + i × 1000 / messages_per_s, where offset spreads
 *   the connections evenly over one period when `stagger` (conn / count × period), else 0.
 * - `fill`: one fill action at start_ms.
 * Writes at or after stop_ms are not issued.
 */
export function* write_schedule(group: ConnectionGroup, conn: number): Generator<ScheduledWrite> {
  const w = group.writer;
  const p = w.program;
  const stop = w.stop_ms ?? Infinity;
  if (p.kind === 'none') return;
  if (p.kind === 'fill') {
    if (w.start_ms < stop) yield { t_ms: w.start_ms, size_bytes: p.size_bytes, fill: true };
    return;
  }
  if (p.kind === 'rate') {
    const period = 1000 / p.messages_per_s;
    const offset = p.stagger ? (conn / group.count) * period : 0;
    for (let i = 0; ; i++) {
      const t = w.start_ms + offset + i * period;
      if (t >= stop) return;
      yield { t_ms: t, size_bytes: p.size_bytes, fill: false };
    }
  }
  let t0 = w.start_ms;
  for (let r = 0; r < p.repeat; r++) {
    for (const step of p.steps) {
      let last = t0;
      for (let k = 0; k < step.count; k++) {
        const t = t0 + Math.floor(k / step.burst) * step.spacing_ms;
        if (t >= stop) return;
        last = t;
        yield { t_ms: t, size_bytes: step.size_bytes, fill: false };
      }
      t0 = last + step.spacing_ms;
    }
  }
}
