import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Cleanup } from './cleanup';
import { sleep_sync } from './exec';

/** Root of the cgroup v1 memory controller. */
export const MEMCG_V1_ROOT = '/sys/fs/cgroup/memory';

export interface MemcgReading {
  usage_bytes: number | null;
  limit_bytes: number | null;
  failcnt: number | null;
  max_usage_bytes: number | null;
}

/**
 * Creates a memory cgroup v1 child with memory.kmem.tcp.limit_in_bytes set (R-6.15; writing
 * the limit is what turns on TCP accounting for the group). Registered for removal at once;
 * removal retries while the killed runners are still leaving the group.
 */
export function create_memcg(name: string, tcp_limit_bytes: number, cleanup: Cleanup): string {
  const dir = path.join(MEMCG_V1_ROOT, name);
  fs.mkdirSync(dir);
  cleanup.add(`remove memcg ${dir}`, () => remove_memcg(dir));
  fs.writeFileSync(path.join(dir, 'memory.kmem.tcp.limit_in_bytes'), String(tcp_limit_bytes));
  return dir;
}

function remove_memcg(dir: string): void {
  let last: Error | null = null;
  for (let i = 0; i < 100; i++) {
    if (!fs.existsSync(dir)) return;
    try {
      fs.rmdirSync(dir);
      return;
    } catch (err) {
      last = err as Error;
      sleep_sync(50);
    }
  }
  throw new Error(`rmdir ${dir}: ${last?.message}`);
}

function read_num(dir: string, file: string): number | null {
  try {
    const n = Number(fs.readFileSync(path.join(dir, file), 'utf8').trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

export function read_memcg(dir: string): MemcgReading {
  return {
    usage_bytes: read_num(dir, 'memory.kmem.tcp.usage_in_bytes'),
    limit_bytes: read_num(dir, 'memory.kmem.tcp.limit_in_bytes'),
    failcnt: read_num(dir, 'memory.kmem.tcp.failcnt'),
    max_usage_bytes: read_num(dir, 'memory.kmem.tcp.max_usage_in_bytes'),
  };
}
