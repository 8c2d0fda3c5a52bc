/**
 * Added delay inside the VM (scenario kernel.netem_delay_ms, one-way): a netem root qdisc on
 * every device that carries the scenario's traffic. Loopback: one namespace, packets cross
 * `lo` once per direction, so delay D on lo gives RTT 2·D. veth: D on each end (veth0 in the
 * client namespace, veth1 in the server namespace) gives RTT 2·D too. Pure: returns the tc
 * command lines; the guest runs them.
 */
export function netem_commands(
  namespaces: readonly string[],
  devices_by_ns: Readonly<Record<string, readonly string[]>>,
  delay_ms: number,
): string[][] {
  if (!(delay_ms > 0)) return [];
  const cmds: string[][] = [];
  for (const ns of namespaces) {
    const devs = devices_by_ns[ns] ?? [];
    const targets = devs.filter((d) => d !== 'lo');
    for (const dev of targets.length > 0 ? targets : ['lo']) {
      // limit: netem's default queue of 1000 packets would drop a fast stream at 100 ms RTT.
      cmds.push(['tc', '-n', ns, 'qdisc', 'add', 'dev', dev, 'root', 'netem', 'delay', `${delay_ms}ms`, 'limit', '100000']);
    }
  }
  return cmds;
}

/** Device names from `ip -o link` output ("1: lo: <...>", "2: veth0@if3: <...>"). */
export function parse_ip_link_names(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)(?:@[^:]+)?:/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}
