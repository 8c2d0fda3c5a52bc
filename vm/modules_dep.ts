/**
 * Kernel module dependencies without depmod/modinfo (not on the host): the `.modinfo` ELF
 * section of each .ko holds NUL-separated `key=value` strings, among them `name=` and
 * `depends=` (comma-separated module names). Same information depmod writes to modules.dep.
 * Pure functions over bytes and maps.
 */

/** Module names use "_" (kernel/module: "-" and "_" are interchangeable in names). */
export function module_name(s: string): string {
  return s.replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/^.*\//, '').replace(/-/g, '_');
}

/** Returns the bytes of the ELF64 little-endian section called `section`, or null. */
export function elf64_section(buf: Uint8Array, section: string): Uint8Array | null {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46) throw new RangeError('not an ELF file');
  if (b[4] !== 2 || b[5] !== 1) throw new RangeError('not a 64-bit little-endian ELF file');
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const shstrndx = b.readUInt16LE(0x3e);
  const sh = (i: number) => {
    const o = shoff + i * shentsize;
    return { name: b.readUInt32LE(o), offset: Number(b.readBigUInt64LE(o + 0x18)), size: Number(b.readBigUInt64LE(o + 0x20)) };
  };
  const strtab = sh(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const s = sh(i);
    const start = strtab.offset + s.name;
    const end = b.indexOf(0, start);
    if (b.toString('latin1', start, end) === section) return buf.subarray(s.offset, s.offset + s.size);
  }
  return null;
}

/** `key=value` pairs of a module's .modinfo section (repeated keys keep every value). */
export function parse_modinfo(modinfo: Uint8Array): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const s of Buffer.from(modinfo.buffer, modinfo.byteOffset, modinfo.byteLength).toString('latin1').split('\0')) {
    const eq = s.indexOf('=');
    if (eq > 0) out.push([s.slice(0, eq), s.slice(eq + 1)]);
  }
  return out;
}

/** The modules a .ko depends on directly (its `depends=` field), normalised names. */
export function module_depends(ko: Uint8Array): string[] {
  const sec = elf64_section(ko, '.modinfo');
  if (sec === null) throw new RangeError('module has no .modinfo section');
  const dep = parse_modinfo(sec).find(([k]) => k === 'depends');
  if (!dep || dep[1] === '') return [];
  return dep[1].split(',').map(module_name);
}

/**
 * Load order for `wanted` and everything they depend on: dependencies before dependents
 * (what `modprobe` does with modules.dep). Names not in `deps` are built in (modules.builtin)
 * when listed in `builtin`, otherwise an error naming the missing module.
 */
export function module_load_order(
  wanted: readonly string[],
  deps: ReadonlyMap<string, readonly string[]>,
  builtin: ReadonlySet<string> = new Set(),
): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: string, chain: string[]): void => {
    const name = module_name(m);
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new RangeError(`module dependency cycle: ${[...chain, name].join(' -> ')}`);
    const d = deps.get(name);
    if (d === undefined) {
      if (builtin.has(name)) {
        state.set(name, 'done');
        return;
      }
      throw new RangeError(`kernel module ${name} not found${chain.length ? ` (needed by ${chain[chain.length - 1]})` : ''}`);
    }
    state.set(name, 'visiting');
    for (const x of d) visit(x, [...chain, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const w of wanted) visit(w, []);
  return order;
}
