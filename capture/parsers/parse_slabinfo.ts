/** One cache of /proc/slabinfo (version 2.1). objsize is the slab stride (reference §1.3). */
export interface SlabCache {
  active_objs: number;
  num_objs: number;
  objsize_bytes: number;
}

/**
 * Parses /proc/slabinfo into caches by name. Merged caches (SLUB aliases) appear under one
 * name only, so a cache missing here is recorded as null by the caller, not as zero.
 */
export function parse_slabinfo(text: string): Map<string, SlabCache> {
  const lines = text.split('\n');
  if (!/^slabinfo - version: 2\./.test(lines[0] ?? '')) throw new Error(`slabinfo: first line is ${JSON.stringify(lines[0])}, expected "slabinfo - version: 2.x"`);
  const out = new Map<string, SlabCache>();
  for (const [n, line] of lines.entries()) {
    if (n === 0 || line.startsWith('#') || line.trim() === '') continue;
    const p = line.trim().split(/\s+/);
    if (p.length < 6 || !/^\d+$/.test(p[1])) throw new Error(`slabinfo line ${n + 1}: unexpected shape: ${JSON.stringify(line.slice(0, 80))}`);
    out.set(p[0], { active_objs: Number(p[1]), num_objs: Number(p[2]), objsize_bytes: Number(p[3]) });
  }
  return out;
}
