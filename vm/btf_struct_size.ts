/**
 * Struct sizes from raw BTF (/sys/kernel/btf/vmlinux; include/uapi/linux/btf.h), so the
 * guest can report sizeof(struct sk_buff), sizeof(struct skb_shared_info), ... for the
 * kernel profile without pahole/bpftool. Pure: bytes in, sizes out.
 */
const BTF_MAGIC = 0xeb9f;
const KIND_STRUCT = 4;

/** Extra bytes that follow the 12-byte btf_type header for each kind. */
function trailing_bytes(kind: number, vlen: number): number {
  switch (kind) {
    case 1: return 4; // INT
    case 3: return 12; // ARRAY
    case 4: case 5: return 12 * vlen; // STRUCT, UNION
    case 6: return 8 * vlen; // ENUM
    case 13: return 8 * vlen; // FUNC_PROTO
    case 14: return 4; // VAR
    case 15: return 12 * vlen; // DATASEC
    case 17: return 4; // DECL_TAG
    case 19: return 12 * vlen; // ENUM64
    case 2: case 7: case 8: case 9: case 10: case 11: case 12: case 16: case 18: return 0;
    default: throw new RangeError(`unknown BTF kind ${kind}`);
  }
}

/** sizeof(struct <name>) for each requested name found in the BTF blob (first definition wins). */
export function btf_struct_sizes(btf: Uint8Array, names: readonly string[]): Record<string, number | null> {
  const b = Buffer.from(btf.buffer, btf.byteOffset, btf.byteLength);
  if (b.readUInt16LE(0) !== BTF_MAGIC) throw new RangeError('not little-endian BTF (bad magic)');
  const hdr_len = b.readUInt32LE(4);
  const type_off = b.readUInt32LE(8);
  const type_len = b.readUInt32LE(12);
  const str_off = b.readUInt32LE(16);
  const want = new Set(names);
  const out: Record<string, number | null> = Object.fromEntries(names.map((n) => [n, null]));
  const t0 = hdr_len + type_off;
  const s0 = hdr_len + str_off;
  let p = t0;
  while (p < t0 + type_len) {
    const name_off = b.readUInt32LE(p);
    const info = b.readUInt32LE(p + 4);
    const size = b.readUInt32LE(p + 8);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    if (kind === KIND_STRUCT && name_off !== 0) {
      const end = b.indexOf(0, s0 + name_off);
      const name = b.toString('latin1', s0 + name_off, end);
      if (want.has(name) && out[name] === null) out[name] = size;
    }
    p += 12 + trailing_bytes(kind, vlen);
  }
  return out;
}
