/** Parses `sysctl -a` output ("key = value" lines); whitespace inside values becomes one space. */
export function parse_sysctl_listing(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(' = ');
    if (i <= 0) continue;
    out[line.slice(0, i).trim()] = line.slice(i + 3).trim().replace(/\s+/g, ' ');
  }
  return out;
}

