import { run_point } from './point_runner';
import type { PointMetrics, PointTask } from './point_row';

/** Piscina worker entry (compiled to dist/sweep/worker.js): one task = one sweep point. */
export default async function sweep_worker(task: PointTask): Promise<PointMetrics> {
  return run_point(task);
}
