import type { ExpandedSweep, SweepPoint } from './expand_sweep';
import { complete_metrics, type PointMetrics, type PointRow, type PointTask } from './point_row';
import { ResultsStore, SWEEP_OUT_FORMAT, type SweepManifest } from './results_store';
import { in_shard, type Shard } from './shard';
import { create_pool, type PointPool } from './worker_pool';

export interface RunSweepOptions {
  out: string;
  shard: Shard | null;
  /** Worker threads (piscina). Ignored when `runner` is given. */
  workers: number;
  force?: boolean;
  tool_version: string;
  /** Run points in this thread with this function instead of a worker pool (tests, tiny sweeps). */
  runner?: (task: PointTask) => Promise<PointMetrics>;
  /** Passed to each task: a CommonJS module the workers use instead of the engine (tests). */
  runner_module?: string;
  /** Called after each finished point (and once at the start with the resumed count). */
  on_progress?: (done: number, total: number) => void;
  /** Stop handing out points when aborted; finished rows are kept and the files are finalized. */
  signal?: AbortSignal;
}

export interface RunSweepResult {
  /** Points this shard is responsible for. */
  total: number;
  /** Found finished in the output directory (resume). */
  resumed: number;
  /** Run now. */
  ran: number;
  interrupted: boolean;
}

/**
 * Runs the sweep's points of this shard that the output directory does not already hold,
 * on a worker pool, appending each finished row to the journal; then rewrites the outputs
 * sorted by index. A failing point stops the sweep (rows already written are kept).
 */
export async function run_sweep(sweep: ExpandedSweep, opts: RunSweepOptions): Promise<RunSweepResult> {
  const mine = sweep.points.filter((p) => in_shard(p.index, opts.shard));
  const manifest: SweepManifest = {
    format: SWEEP_OUT_FORMAT,
    name: sweep.name,
    sweep_hash: sweep.sweep_hash,
    engine: sweep.engine,
    parameters: sweep.parameters,
    total_points: sweep.points.length,
    shard: opts.shard,
    shard_points: mine.length,
    tool_version: opts.tool_version,
  };
  const valid = new Map(mine.map((p) => [p.id, p.index] as [string, number]));
  const store = ResultsStore.open(opts.out, manifest, valid, { force: opts.force });
  const resumed = store.done;
  const pending = mine.filter((p) => !store.has(p.id));
  opts.on_progress?.(store.done, mine.length);

  let pool: PointPool | null = null;
  const run_task = opts.runner ?? ((t: PointTask) => (pool ??= create_pool(opts.workers)).run(t));
  const concurrency = opts.runner ? 1 : Math.max(1, opts.workers) * 2;
  let ran = 0;
  let next = 0;
  let failure: unknown = null;
  const aborted = () => opts.signal?.aborted === true;

  const one = async (p: SweepPoint): Promise<void> => {
    const task: PointTask = { index: p.index, id: p.id, engine: sweep.engine, profile_id: p.profile_id, scenario: p.scenario, runner_module: opts.runner_module };
    const metrics = await run_task(task);
    const row: PointRow = {
      index: p.index,
      id: p.id,
      profile: p.profile_id,
      params: p.params,
      metrics: complete_metrics(metrics, `sweep point ${p.index} (${p.id})`),
      scenario: p.scenario,
    };
    store.append(row);
    ran++;
    opts.on_progress?.(store.done, mine.length);
  };
  const lane = async (): Promise<void> => {
    while (failure === null && !aborted() && next < pending.length) {
      const p = pending[next++];
      try {
        await one(p);
      } catch (err) {
        failure ??= new Error(`sweep point ${p.index} (${p.id}, ${JSON.stringify(p.params)}) failed: ${(err as Error).message ?? String(err)}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, pending.length)) }, lane));
  } finally {
    store.close();
    if (pool) await (pool as PointPool).destroy();
  }
  if (failure !== null) throw failure;
  return { total: mine.length, resumed, ran, interrupted: store.done < mine.length };
}
