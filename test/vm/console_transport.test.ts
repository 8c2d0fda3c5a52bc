import { describe, expect, it } from 'vitest';
import { decode_transport_blocks, encode_transport_block } from '../../vm/console_transport';

describe('console transport', () => {
  it('round-trips binary payloads through tty noise and CRLF conversion', () => {
    const payload = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) % 256));
    const text = 'boot noise\r\n' + encode_transport_block('run', payload).replace(/\n/g, '\r\n') + '[ 12.3] kernel line\r\n';
    const blocks = decode_transport_blocks(text);
    expect(blocks).toHaveLength(1);
    expect(blocks[0].kind).toBe('run');
    expect(blocks[0].payload.equals(payload)).toBe(true);
  });

  it('decodes several blocks in order', () => {
    const text = encode_transport_block('run', Buffer.from('a')) + encode_transport_block('error', Buffer.from('bb'));
    expect(decode_transport_blocks(text).map((b) => [b.kind, b.payload.toString()])).toEqual([
      ['run', 'a'],
      ['error', 'bb'],
    ]);
  });

  it('reports a block cut off before its end marker', () => {
    const text = encode_transport_block('run', Buffer.alloc(300, 7));
    expect(() => decode_transport_blocks(text.slice(0, text.length - 40))).toThrow(/truncated/);
  });

  it('reports a block whose content was damaged', () => {
    const text = encode_transport_block('run', Buffer.from('hello world, hello world'));
    const lines = text.split('\n');
    lines[2] = lines[2].replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(() => decode_transport_blocks(lines.join('\n'))).toThrow(/sha256 mismatch|announced/);
  });

  it('finds nothing in text without markers', () => {
    expect(decode_transport_blocks('just a console log\n')).toEqual([]);
  });
});
