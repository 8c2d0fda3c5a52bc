/**
 * Parses `nstat -asz` output ("#kernel" then `Name  value  rate` lines) into absolute counter
 * values keyed by their /proc/net/{snmp,netstat} names (TcpExt counters keep the TcpExt prefix,
 * e.g. TcpExtTCPRcvCoalesce). Malformed lines throw, naming the line.
 */
export function parse_nstat(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_]+)\s+(\d+)(\s+[\d.]+)?$/.exec(line);
    if (!m) throw new Error(`nstat line ${n + 1}: not "Name value rate": ${JSON.stringify(line.slice(0, 80))}`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

/** The TcpExt counter `name` (as in /proc/net/netstat, e.g. PruneCalled), or null if absent. */
export function tcpext_counter(values: Map<string, number>, name: string): number | null {
  return values.get(`TcpExt${name}`) ?? null;
}
