import { z } from 'zod';

/**
 * The sweep file format (tcpmem-sweep/1), documented in docs/planning.md: a base scenario
 * (a workload file or an inline scenario) and either a grid (every combination of the listed
 * values, last parameter varying fastest) or a list of points. A parameter is a path into the
 * scenario (`groups[0].count`, `groups[ws].writer.program.size_bytes`,
 * `kernel.sysctls["net.ipv4.tcp_rmem"]`) or the special name `profile` (a kernel profile id).
 */
const json_value: z.ZodType<unknown> = z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export const sweep_engines = ['sim', 'analytic'] as const;
export type SweepEngine = (typeof sweep_engines)[number];

export const sweep_schema = z
  .strictObject({
    format: z.literal('tcpmem-sweep/1'),
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lowercase letters, digits, _ . and - only'),
    description: z.string().default(''),
    /** A scenario file path (relative to the sweep file) or an inline scenario object. */
    base: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
    /** Kernel profile id used where a point does not set `profile`. */
    profile: z.string().min(1).default('6.18.44-reference'),
    /** sim: run the simulator for each point; analytic: the steady-state planner only (fast). */
    engine: z.enum(sweep_engines).default('sim'),
    /** Parameter path → the values it takes; every combination is a point. */
    grid: z.record(z.string().min(1), z.array(json_value).min(1)).optional(),
    /** Each entry is one point: parameter path → value. */
    list: z.array(z.record(z.string().min(1), json_value)).min(1).optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.grid === undefined) === (s.list === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['grid'], message: 'give exactly one of "grid" or "list"' });
    }
    if (s.grid && Object.keys(s.grid).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['grid'], message: 'needs at least one parameter' });
    }
  });

export type SweepFile = z.infer<typeof sweep_schema>;

/** Most points one sweep may expand to (a bigger study is several sweeps or a coarser grid). */
export const SWEEP_MAX_POINTS = 1_000_000;
