import { execFileSync } from 'node:child_process';

/**
 * Shared libraries of a host binary, as `ldd` prints them (absolute paths, including the
 * dynamic loader). Parsing is pure; running ldd is the edge.
 */
export function parse_ldd_output(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const arrow = /=>\s+(\/\S+)\s+\(0x/.exec(line);
    if (arrow) {
      out.push(arrow[1]);
      continue;
    }
    const bare = /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (bare) out.push(bare[1]);
    if (/=>\s+not found/.test(line)) throw new RangeError(`missing shared library: ${line.trim()}`);
  }
  return [...new Set(out)];
}

/** Runs ldd on each binary (statically linked ones contribute nothing). */
export function shared_libraries(binaries: readonly string[]): string[] {
  const libs = new Set<string>();
  for (const bin of binaries) {
    let text: string;
    try {
      text = execFileSync('ldd', [bin], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const out = String((err as { stdout?: string }).stdout ?? '');
      if (/not a dynamic executable/.test(out + String((err as { stderr?: string }).stderr ?? ''))) continue;
      throw err;
    }
    for (const l of parse_ldd_output(text)) libs.add(l);
  }
  return [...libs].sort();
}
