import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Piscina } from 'piscina';
import type { PointMetrics, PointTask } from './point_row';

/** Path of the compiled worker. Under vitest (TypeScript sources) the build in dist/ is used. */
export function worker_file(): string {
  const here = __filename.endsWith('.ts') ? path.join(__dirname, '..', 'dist', 'sweep') : __dirname;
  const file = path.join(here, 'worker.js');
  if (!fs.existsSync(file)) throw new Error(`sweep worker ${file} is missing; build first: npx tsc -p tsconfig.build.json`);
  return file;
}

/** One worker per core by default (os.availableParallelism). */
export function default_workers(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/** A fixed-size piscina pool of sweep workers. */
export interface PointPool {
  run(task: PointTask): Promise<PointMetrics>;
  destroy(): Promise<void>;
}

export function create_pool(workers: number): PointPool {
  const pool = new Piscina({ filename: worker_file(), minThreads: workers, maxThreads: workers, idleTimeout: 60_000 });
  return {
    run: (task) => pool.run(task) as Promise<PointMetrics>,
    destroy: () => pool.destroy(),
  };
}
