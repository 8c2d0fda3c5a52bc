import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { btf_struct_sizes } from '../../vm/btf_struct_size';

/** A BTF blob built by hand (include/uapi/linux/btf.h): INT "int", STRUCT "sk_buff" (1 member), STRUCT "x" (0 members). */
function tiny_btf(): Buffer {
  const strings = Buffer.from('\0int\0sk_buff\0len\0x\0');
  const types: number[] = [
    // INT: name_off 1, info kind 1, size 4, then 4 bytes of int encoding
    1, (1 << 24) >>> 0, 4, 32,
    // STRUCT: name_off 5 ("sk_buff"), kind 4 vlen 1, size 232; member: name_off 13, type 1, offset 0
    5, ((4 << 24) | 1) >>> 0, 232, 13, 1, 0,
    // STRUCT: name_off 17 ("x"), kind 4 vlen 0, size 8
    17, (4 << 24) >>> 0, 8,
  ];
  const type_bytes = Buffer.alloc(types.length * 4);
  types.forEach((v, i) => type_bytes.writeUInt32LE(v, i * 4));
  const hdr = Buffer.alloc(24);
  hdr.writeUInt16LE(0xeb9f, 0);
  hdr[2] = 1;
  hdr.writeUInt32LE(24, 4); // hdr_len
  hdr.writeUInt32LE(0, 8); // type_off
  hdr.writeUInt32LE(type_bytes.length, 12);
  hdr.writeUInt32LE(type_bytes.length, 16); // str_off
  hdr.writeUInt32LE(strings.length, 20);
  return Buffer.concat([hdr, type_bytes, strings]);
}

describe('btf_struct_sizes', () => {
  it('reads struct sizes and walks past the members of earlier types', () => {
    expect(btf_struct_sizes(tiny_btf(), ['sk_buff', 'x', 'tcp_sock'])).toEqual({ sk_buff: 232, x: 8, tcp_sock: null });
  });

  it('refuses data that is not BTF', () => {
    expect(() => btf_struct_sizes(Buffer.alloc(24), ['sk_buff'])).toThrow(/bad magic/);
  });

  // The running host kernel: linux-tcp-memory.md section 1.3 lists its BTF sizes
  // (sk_buff 224, skb_shared_info 320, tcp_sock 2304 on the 6.18.44 reference host).
  const host_btf = '/sys/kernel/btf/vmlinux';
  const on_reference_host = fs.existsSync(host_btf) && fs.readFileSync('/proc/sys/kernel/osrelease', 'utf8').startsWith('6.18.44');
  it.skipIf(!on_reference_host)('reads the reference host kernel struct sizes documented in section 1.3', () => {
    expect(btf_struct_sizes(fs.readFileSync(host_btf), ['sk_buff', 'skb_shared_info', 'tcp_sock'])).toEqual({
      sk_buff: 224,
      skb_shared_info: 320,
      tcp_sock: 2304,
    });
  });
});
