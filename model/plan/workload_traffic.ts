import type { ConnectionGroup, Scenario } from '../scenario/scenario_schema';

/** What a group's writer sends, as far as the steady state is concerned. */
export interface WriterTraffic {
  /** Number of write() calls over the scenario, null when unbounded (rate until stop, fill). */
  writes: number | null;
  /** Bytes written over the scenario, null when unbounded. */
  total_bytes: number | null;
  /** Largest single write. */
  max_write_bytes: number;
  /** Payload bytes per second while writing, null when not a steady rate. */
  bytes_per_s: number | null;
}

/** Summarizes a writer program (scenario format, model/scenario). */
export function writer_traffic(g: ConnectionGroup, scenario: Scenario): WriterTraffic {
  const prog = g.writer.program;
  switch (prog.kind) {
    case 'none':
      return { writes: 0, total_bytes: 0, max_write_bytes: 0, bytes_per_s: 0 };
    case 'writes': {
      let writes = 0;
      let bytes = 0;
      let max = 0;
      for (const st of prog.steps) {
        writes += st.count;
        bytes += st.count * st.size_bytes;
        max = Math.max(max, st.size_bytes);
      }
      return { writes: writes * prog.repeat, total_bytes: bytes * prog.repeat, max_write_bytes: max, bytes_per_s: null };
    }
    case 'rate': {
      const stop = g.writer.stop_ms ?? scenario.sampling.duration_ms;
      const span_ms = Math.max(0, stop - g.writer.start_ms);
      const writes = Math.floor((span_ms / 1000) * prog.messages_per_s);
      return { writes, total_bytes: writes * prog.size_bytes, max_write_bytes: prog.size_bytes, bytes_per_s: prog.size_bytes * prog.messages_per_s };
    }
    case 'fill':
      return { writes: null, total_bytes: null, max_write_bytes: prog.size_bytes, bytes_per_s: null };
  }
}

/** Whether the group's reader ever stops reading (never reads, or has stall intervals). */
export function reader_stalls(g: ConnectionGroup): boolean {
  return g.reader.kind === 'never' || g.reader.stalls.length > 0;
}

/** Bytes per second a periodic reader can consume; null for continuous (keeps up) and never. */
export function reader_bytes_per_s(g: ConnectionGroup): number | null {
  return g.reader.kind === 'periodic' ? (g.reader.max_bytes * 1000) / g.reader.every_ms : null;
}

/** A sysctl triple from the scenario's per-namespace sysctls, else the profile's value. */
export function sysctl_triple(scenario: Scenario, key: string, fallback: readonly [number, number, number]): [number, number, number] {
  const v = scenario.kernel.sysctls[key];
  if (v === undefined) return [...fallback] as [number, number, number];
  const parts = String(v).trim().split(/\s+/).map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n < 0)) return [...fallback] as [number, number, number];
  return parts as [number, number, number];
}
