/**
 * The TCP line of /proc/net/sockstat: `TCP: inuse N orphan N tw N alloc N mem N`
 * (inuse is per network namespace; alloc and mem — pages, R-6.7 — are global).
 */
export interface SockstatTcp {
  inuse: number;
  orphan: number;
  tw: number;
  alloc: number;
  mem_pages: number;
}

export function parse_sockstat(text: string): SockstatTcp {
  const line = text.split('\n').find((l) => l.startsWith('TCP:'));
  if (line === undefined) throw new Error('sockstat: no "TCP:" line');
  const v: Record<string, number> = {};
  const parts = line.slice(4).trim().split(/\s+/);
  for (let i = 0; i + 1 < parts.length; i += 2) v[parts[i]] = Number(parts[i + 1]);
  for (const k of ['inuse', 'orphan', 'tw', 'alloc', 'mem']) {
    if (!Number.isFinite(v[k])) throw new Error(`sockstat: TCP line lacks "${k}": ${JSON.stringify(line)}`);
  }
  return { inuse: v.inuse, orphan: v.orphan, tw: v.tw, alloc: v.alloc, mem_pages: v.mem };
}
