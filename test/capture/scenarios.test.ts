import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURE_MAX_CONNECTIONS, parse_scenario } from '../../model/scenario';

const dir = path.join(__dirname, '..', '..', 'data', 'scenarios');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('the committed capture scenarios', () => {
  it('include the short CI live check', () => {
    expect(files).toContain('ci-live-smoke.json');
  });

  for (const f of files) {
    describe(f, () => {
      const s = parse_scenario(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), 'capture', f);

      it('is a valid capture scenario named after its file', () => {
        expect(`${s.name}.json`).toBe(f);
      });

      it('stays within the fd budget of a shared host', () => {
        expect(s.groups.reduce((a, g) => a + g.count, 0)).toBeLessThanOrEqual(CAPTURE_MAX_CONNECTIONS);
      });

      it('justifies every tolerance it declares', () => {
        for (const t of Object.values(s.tolerances)) expect(t!.why.length).toBeGreaterThan(10);
      });
    });
  }

  it('keeps the CI check under 20 s of workload', () => {
    const s = parse_scenario(JSON.parse(fs.readFileSync(path.join(dir, 'ci-live-smoke.json'), 'utf8')), 'capture');
    expect(s.sampling.settle_ms + s.sampling.duration_ms).toBeLessThan(20_000);
  });
});

describe('scenario validation for a capture', () => {
  const base = () => ({
    format: 'tcpmem-scenario/1',
    name: 'bad',
    kernel: {},
    groups: [{ name: 'g', count: 10, writer: { program: { kind: 'none' } }, reader: { kind: 'never' } }],
    sampling: { interval_ms: 100, duration_ms: 1000 },
  });

  it('rejects 30,000 sockets, naming the count and the limit', () => {
    const s = base();
    s.groups[0].count = 30_000;
    expect(() => parse_scenario(s, 'capture')).toThrow(/groups\[\]\.count: 30000 connections.*at most 9900/);
  });

  it('rejects a negative write size, naming the field', () => {
    const s = { ...base(), groups: [{ ...base().groups[0], writer: { program: { kind: 'writes', steps: [{ size_bytes: -5 }] } } }] };
    expect(() => parse_scenario(s, 'capture')).toThrow(/groups\[0\]\.writer\.program\.steps\[0\]\.size_bytes/);
  });

  it('rejects an unknown field, naming it', () => {
    const s = { ...base(), sampling: { interval_ms: 100, duration_ms: 1000, jitter: 3 } };
    expect(() => parse_scenario(s, 'capture')).toThrow(/sampling.*jitter/);
  });

  it('rejects a global sysctl on the host, saying only a VM may set it', () => {
    const s = { ...base(), kernel: { sysctls: { 'net.ipv4.tcp_mem': '1 2 3' } } };
    expect(() => parse_scenario(s, 'capture')).toThrow(/net\.ipv4\.tcp_mem.*only a VM capture/);
  });
});
