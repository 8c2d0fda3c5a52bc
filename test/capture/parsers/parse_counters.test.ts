import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse_nstat, parse_proc_netstat, tcpext_counter } from '../../../capture/parsers';

const fixture = (f: string) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', f), 'utf8');

// nstat-asz-6.18.txt: `nstat -asz` in the namespace of the parse_ss fixture (same workload).
describe('parse_nstat', () => {
  const v = parse_nstat(fixture('nstat-asz-6.18.txt'));

  it('reads absolute counters by their nstat names', () => {
    expect(v.get('TcpActiveOpens')).toBe(2);
    expect(v.get('TcpPassiveOpens')).toBe(2);
    expect(v.get('IpInReceives')).toBe(21);
  });

  it('finds TcpExt counters by their /proc/net/netstat names', () => {
    expect(tcpext_counter(v, 'TCPRcvCoalesce')).toBe(8);
    expect(tcpext_counter(v, 'PruneCalled')).toBe(0);
    expect(tcpext_counter(v, 'NoSuchCounter')).toBeNull();
  });

  it('rejects a malformed line, naming it', () => {
    expect(() => parse_nstat('#kernel\nTcpExtFoo twelve 0.0\n')).toThrow(/nstat line 2/);
  });
});

// proc-net-netstat-6.18.txt: /proc/net/netstat of the reference host (header/value line pairs).
describe('parse_proc_netstat', () => {
  const text = fixture('proc-net-netstat-6.18.txt');
  const v = parse_proc_netstat(text);

  it('gives the same keys nstat prints', () => {
    const names = text.split('\n')[0].split(/\s+/).slice(1);
    const values = text.split('\n')[1].split(/\s+/).slice(1).map(Number);
    expect(names[0]).toBe('SyncookiesSent');
    expect(v.get(`TcpExt${names[0]}`)).toBe(values[0]);
    expect(tcpext_counter(v, 'TCPRcvCoalesce')).not.toBeNull();
    expect(tcpext_counter(v, 'TCPMemoryPressuresChrono')).not.toBeNull();
  });

  it('rejects a value line whose prefix does not match its header', () => {
    expect(() => parse_proc_netstat('TcpExt: A B\nIpExt: 1 2\n')).toThrow(/does not match/);
    expect(() => parse_proc_netstat('TcpExt: A B\nTcpExt: 1\n')).toThrow(/2 names but 1 values/);
  });
});
