/**
 * The bench's two workload shapes as scenario inputs (parsed by the caller), shared by bench/main.ts,
 * bench/ab.ts and bench/output_hashes.ts so the three measure the same thing.
 */

/** Push server: every connection receives one 512-byte message per minute from the server, read at once. */
export function push_server_input(connections: number, duration_ms: number, stagger = true, description?: string): Record<string, unknown> {
  return {
    format: 'tcpmem-scenario/1',
    name: 'bench-push-server',
    ...(description === undefined ? {} : { description }),
    kernel: { link: { kind: 'loopback' } },
    groups: [
      {
        name: 'push',
        count: connections,
        writer: { side: 'server', program: { kind: 'rate', size_bytes: 512, messages_per_s: 1 / 60, stagger } },
        reader: { kind: 'continuous' },
      },
    ],
    sampling: { interval_ms: Math.min(10_000, duration_ms), duration_ms },
  };
}

/** Segments: every connection sends one 100-byte message per second for 3 simulated seconds. */
export function segments_input(connections: number, interval_ms = 3000): Record<string, unknown> {
  return {
    format: 'tcpmem-scenario/1',
    name: 'bench-segments',
    kernel: {},
    groups: [
      {
        name: 'seg',
        count: connections,
        writer: { program: { kind: 'rate', size_bytes: 100, messages_per_s: 1, stagger: true } },
        reader: { kind: 'continuous' },
      },
    ],
    sampling: { interval_ms, duration_ms: 3000 },
  };
}
