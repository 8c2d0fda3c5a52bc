/**
 * Parses /proc/net/netstat (or /proc/net/snmp): pairs of lines `Prefix: Name1 Name2 …` /
 * `Prefix: v1 v2 …`, into the same keys nstat prints (`TcpExtPruneCalled`). Reading
 * /proc/<pid>/net/netstat of a process inside the namespace gives that namespace's counters
 * without spawning nstat (one sample must stay fast).
 */
export function parse_proc_netstat(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length % 2 !== 0) throw new Error(`netstat: ${lines.length} lines; expected header/value pairs`);
  for (let i = 0; i < lines.length; i += 2) {
    const [hp, ...names] = lines[i].trim().split(/\s+/);
    const [vp, ...values] = lines[i + 1].trim().split(/\s+/);
    if (hp !== vp || !hp.endsWith(':')) throw new Error(`netstat line ${i + 2}: prefix ${vp} does not match header ${hp}`);
    if (names.length !== values.length) throw new Error(`netstat ${hp} ${names.length} names but ${values.length} values`);
    const prefix = hp.slice(0, -1);
    names.forEach((n, j) => out.set(prefix + n, Number(values[j])));
  }
  return out;
}
