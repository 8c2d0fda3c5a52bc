/**
 * The TCP row of /proc/net/protocols: `sockets`, `memory` (tcp_memory_allocated, pages, the
 * same lagging global as sockstat mem, R-6.6) and `press` (the global tcp_memory_pressure flag,
 * "yes" / "no").
 */
export interface ProtocolRow {
  sockets: number;
  memory_pages: number;
  pressure: boolean | null;
}

export function parse_protocols(text: string, protocol = 'TCP'): ProtocolRow {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const ci = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`/proc/net/protocols: header lacks "${name}"`);
    return i;
  };
  const [isock, imem, ipress] = [ci('sockets'), ci('memory'), ci('press')];
  const row = lines.slice(1).map((l) => l.trim().split(/\s+/)).find((p) => p[0] === protocol);
  if (!row) throw new Error(`/proc/net/protocols: no ${protocol} row`);
  const press = row[ipress];
  return {
    sockets: Number(row[isock]),
    memory_pages: Number(row[imem]),
    pressure: press === 'yes' ? true : press === 'no' ? false : null,
  };
}
