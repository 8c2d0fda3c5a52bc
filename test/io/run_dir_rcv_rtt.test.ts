import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { read_run_dir } from '../../io/run_dir';

// data/captures/streaming-loopback/r0 was written before sockets.csv had rcv_rtt_ms.
const old_run = path.join(__dirname, '..', '..', 'data', 'captures', 'streaming-loopback', 'r0');

describe('read_run_dir and the optional rcv_rtt_ms column', () => {
  it('loads a run written before the column existed, with null in every row', () => {
    const header = fs.readFileSync(path.join(old_run, 'sockets.csv'), 'utf8').split('\n')[0];
    expect(header.split(',')).not.toContain('rcv_rtt_ms');
    const run = read_run_dir(old_run);
    expect(run.sockets.length).toBeGreaterThan(0);
    expect(run.sockets.every((s) => s.rcv_rtt_ms === null)).toBe(true);
  });

  it('still rejects a run that lacks a required column', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-rundir-'));
    try {
      for (const f of ['meta.json', 'global.csv']) fs.copyFileSync(path.join(old_run, f), path.join(tmp, f));
      const lines = fs.readFileSync(path.join(old_run, 'sockets.csv'), 'utf8').split('\n');
      const drop = lines[0].split(',').indexOf('rcv_space_bytes');
      const cut = lines.map((l) => (l === '' ? l : l.split(',').filter((_, i) => i !== drop).join(',')));
      fs.writeFileSync(path.join(tmp, 'sockets.csv'), cut.join('\n'));
      expect(() => read_run_dir(tmp)).toThrow(/missing column rcv_space_bytes/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
