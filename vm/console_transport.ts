import { createHash } from 'node:crypto';

/**
 * How the guest hands results back: on a dedicated serial port (ttyS1, a plain file on the
 * host), each payload is printed as base64 between two marker lines that carry its kind,
 * length and sha256. The decoder ignores anything around the blocks (tty CR/LF conversion,
 * stray kernel messages) and refuses a block whose length or hash does not match, so a
 * truncated transfer is an error, never a silently short run.
 */
const BEGIN = '@@TCPMEM-BEGIN';
const END = '@@TCPMEM-END@@';
const LINE = 76;

export interface TransportBlock {
  kind: string;
  payload: Buffer;
}

/** One block of text for `payload` (kind: [a-z0-9_-]+). */
export function encode_transport_block(kind: string, payload: Uint8Array): string {
  if (!/^[a-z0-9_-]+$/.test(kind)) throw new RangeError(`bad transport block kind: ${JSON.stringify(kind)}`);
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const sha = createHash('sha256').update(buf).digest('hex');
  const b64 = buf.toString('base64');
  const lines: string[] = [`${BEGIN} ${kind} ${buf.length} ${sha}@@`];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  lines.push(END);
  return '\n' + lines.join('\n') + '\n';
}

/**
 * Every complete block found in `text`, in order. Throws when a block is cut off (BEGIN
 * without END) or its content does not match the announced length / sha256.
 */
export function decode_transport_blocks(text: string): TransportBlock[] {
  const out: TransportBlock[] = [];
  const re = /@@TCPMEM-BEGIN ([a-z0-9_-]+) (\d+) ([0-9a-f]{64})@@/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const [, kind, len_s, sha] = m;
    const start = m.index + m[0].length;
    const end = text.indexOf(END, start);
    if (end < 0) throw new RangeError(`transport block "${kind}" is truncated (no end marker): the guest stopped before finishing it`);
    const body = text.slice(start, end).replace(/[\r\n\t ]/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new RangeError(`transport block "${kind}" holds characters that are not base64`);
    const payload = Buffer.from(body, 'base64');
    if (payload.length !== Number(len_s)) {
      throw new RangeError(`transport block "${kind}": announced ${len_s} bytes, received ${payload.length}`);
    }
    if (createHash('sha256').update(payload).digest('hex') !== sha) throw new RangeError(`transport block "${kind}": sha256 mismatch`);
    out.push({ kind, payload });
    re.lastIndex = end + END.length;
  }
  return out;
}
