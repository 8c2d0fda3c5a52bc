import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { elf64_section, module_depends, module_load_order, module_name, parse_modinfo } from '../../vm/modules_dep';
import { vm_cache_dir } from '../../vm/cache_dir';
import { vm_kinds } from '../../vm/vm_kinds';

/** A minimal ELF64 LE file with sections: [null, .shstrtab, .modinfo]. Built by hand from the ELF spec. */
function tiny_elf(modinfo: string): Buffer {
  const shstr = Buffer.from('\0.shstrtab\0.modinfo\0');
  const info = Buffer.from(modinfo);
  const shoff = 64 + shstr.length + info.length;
  const b = Buffer.alloc(shoff + 3 * 64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little endian
  b.writeBigUInt64LE(BigInt(shoff), 0x28);
  b.writeUInt16LE(64, 0x3a);
  b.writeUInt16LE(3, 0x3c);
  b.writeUInt16LE(1, 0x3e);
  shstr.copy(b, 64);
  info.copy(b, 64 + shstr.length);
  const sh = (i: number, name: number, off: number, size: number) => {
    const o = shoff + i * 64;
    b.writeUInt32LE(name, o);
    b.writeBigUInt64LE(BigInt(off), o + 0x18);
    b.writeBigUInt64LE(BigInt(size), o + 0x20);
  };
  sh(1, 1, 64, shstr.length);
  sh(2, 11, 64 + shstr.length, info.length);
  return b;
}

describe('module dependencies from .modinfo', () => {
  it('finds the .modinfo section and its key=value strings', () => {
    const elf = tiny_elf('license=GPL\0depends=a-b,c\0name=x\0');
    const sec = elf64_section(elf, '.modinfo');
    expect(sec && Buffer.from(sec).toString()).toBe('license=GPL\0depends=a-b,c\0name=x\0');
    expect(parse_modinfo(sec!)).toEqual([['license', 'GPL'], ['depends', 'a-b,c'], ['name', 'x']]);
    expect(module_depends(elf)).toEqual(['a_b', 'c']);
  });

  it('reads an empty depends= as no dependencies', () => {
    expect(module_depends(tiny_elf('depends=\0name=veth\0'))).toEqual([]);
  });

  it('normalises module names the way the kernel does', () => {
    expect(module_name('kernel/net/sched/sch-netem.ko')).toBe('sch_netem');
    expect(module_name('tcp_bbr.ko.xz')).toBe('tcp_bbr');
  });

  it('orders dependencies before the modules that need them', () => {
    const deps = new Map<string, string[]>([
      ['9p', ['9pnet', 'fscache', 'netfs']],
      ['9pnet', []],
      ['fscache', ['netfs']],
      ['netfs', []],
      ['veth', []],
    ]);
    expect(module_load_order(['9p', 'veth'], deps)).toEqual(['9pnet', 'netfs', 'fscache', '9p', 'veth']);
  });

  it('skips built-in modules and names a missing one with who needs it', () => {
    const deps = new Map<string, string[]>([['a', ['virtio', 'b']]]);
    expect(() => module_load_order(['a'], deps, new Set(['virtio']))).toThrow(/kernel module b not found \(needed by a\)/);
    expect(module_load_order(['virtio'], new Map(), new Set(['virtio']))).toEqual([]);
  });

  it('reports a dependency cycle', () => {
    const deps = new Map<string, string[]>([['a', ['b']], ['b', ['a']]]);
    expect(() => module_load_order(['a'], deps)).toThrow(/cycle: a -> b -> a/);
  });

  // Against the real Debian package when the rig has cached it. Expected values read with
  // `strings -a <module>.ko | grep ^depends=`: 9p.ko depends=9pnet,fscache,netfs; fscache.ko depends=netfs.
  const kind = vm_kinds['debian-6.1'];
  const pkg_dir = path.join(vm_cache_dir(), kind.name, 'pkg', `${kind.kernel_package}_${kind.kernel_package_version}`);
  const mod_dir = path.join(pkg_dir, 'lib', 'modules', kind.kernel_release, 'kernel');
  it.skipIf(!fs.existsSync(mod_dir))('reads the depends= of the Debian 6.1 9p and veth modules', () => {
    expect(module_depends(fs.readFileSync(path.join(mod_dir, 'fs/9p/9p.ko')))).toEqual(['9pnet', 'fscache', 'netfs']);
    expect(module_depends(fs.readFileSync(path.join(mod_dir, 'drivers/net/veth.ko')))).toEqual([]);
  });
});
