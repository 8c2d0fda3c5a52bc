import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse_ss } from '../../capture/parsers';
import { build_port_map, identify, socket_row } from '../../capture/sample';
import { parse_scenario } from '../../model/scenario';

const socks = parse_ss(fs.readFileSync(path.join(__dirname, 'fixtures', 'ss-tmoniH-loopback-6.18.txt'), 'utf8'));
const scenario = parse_scenario(
  {
    format: 'tcpmem-scenario/1',
    name: 't',
    kernel: {},
    groups: [{ name: 'g', count: 1, writer: { program: { kind: 'none' } }, reader: { kind: 'never' } }],
    sampling: { interval_ms: 100, duration_ms: 100 },
  },
  'capture',
);

describe('identify', () => {
  // In the fixture the listener port is 5000 and the client's port 37290.
  const map = build_port_map(scenario.groups, 5000, [[37290]]);
  const listeners = new Set([5000]);

  it('maps the accepted socket to the server side and the connecting one to the client side', () => {
    expect(identify(socks[0], listeners, map)).toEqual({ group: 'g', conn: 0, side: 'server' });
    expect(identify(socks[1], listeners, map)).toEqual({ group: 'g', conn: 0, side: 'client' });
  });

  it('ignores sockets that are not the scenario\'s', () => {
    expect(identify(socks[2], listeners, map)).toBeNull();
  });
});

describe('socket_row', () => {
  it('fills the run columns from skmem and tcp_info, and 0 for counters ss omits when zero', () => {
    const row = socket_row(500, { group: 'g', conn: 0, side: 'server' }, socks[0], 0, 0);
    expect([row.r_bytes, row.rb_bytes, row.f_bytes, row.tb_bytes, row.recv_q_bytes]).toEqual([130248, 131072, 4920, 3939840, 129416]);
    expect([row.notsent_bytes, row.unacked_segs, row.bytes_acked]).toEqual([0, 0, 0]);
    expect(row.rcv_wnd_bytes).toBeNull();
    expect(row.weight).toBe(1);
  });
});
