import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expand_sweep } from '../../sweep/expand_sweep';
import { load_sweep } from '../../sweep/load_sweep';
import { sweep_schema } from '../../sweep/sweep_schema';

const base = {
  format: 'tcpmem-scenario/1',
  name: 'base',
  kernel: {},
  groups: [{ name: 'g', count: 2, writer: { program: { kind: 'writes', steps: [{ size_bytes: 100 }] } }, reader: { kind: 'never' } }],
  sampling: { interval_ms: 100, duration_ms: 200 },
};
const profiles = ['6.18.44-reference', 'debian-6.1.192-amd64'];

function sweep(extra: Record<string, unknown>) {
  return sweep_schema.parse({ format: 'tcpmem-sweep/1', name: 's', base, ...extra });
}

describe('expand_sweep', () => {
  it('makes every grid combination, the last parameter varying fastest', () => {
    const e = expand_sweep(sweep({ grid: { profile: profiles, 'groups[g].count': [1, 2, 3] } }), base, profiles);
    expect(e.points).toHaveLength(6);
    expect(e.points.map((p) => [p.profile_id, p.scenario.groups[0].count])).toEqual([
      ['6.18.44-reference', 1], ['6.18.44-reference', 2], ['6.18.44-reference', 3],
      ['debian-6.1.192-amd64', 1], ['debian-6.1.192-amd64', 2], ['debian-6.1.192-amd64', 3],
    ]);
    expect(e.parameters).toEqual(['profile', 'groups[g].count']);
  });

  it('gives ids that depend only on the parameter values', () => {
    const a = expand_sweep(sweep({ grid: { 'groups[g].count': [1, 2, 3] } }), base, profiles);
    const b = expand_sweep(sweep({ grid: { 'groups[g].count': [3, 2, 1] } }), base, profiles);
    expect(new Set(a.points.map((p) => p.id)).size).toBe(3);
    expect(a.points[0].id).toBe(b.points[2].id);
    // The sweep hash covers the scenarios, so the same points in another order hash the same ids but not the same order.
    expect(a.sweep_hash).toBe(expand_sweep(sweep({ grid: { 'groups[g].count': [1, 2, 3] } }), base, profiles).sweep_hash);
    expect(a.sweep_hash).not.toBe(expand_sweep(sweep({ grid: { 'groups[g].count': [1, 2, 4] } }), base, profiles).sweep_hash);
  });

  it('takes a list of points and refuses a repeated one', () => {
    const e = expand_sweep(sweep({ list: [{ 'groups[0].count': 5 }, { 'groups[0].count': 6, profile: 'debian-6.1.192-amd64' }] }), base, profiles);
    expect(e.points.map((p) => [p.scenario.groups[0].count, p.profile_id])).toEqual([[5, '6.18.44-reference'], [6, 'debian-6.1.192-amd64']]);
    expect(() => expand_sweep(sweep({ list: [{ 'groups[0].count': 5 }, { 'groups[0].count': 5 }] }), base, profiles)).toThrow(/list\[1\]: point 1 repeats point 0/);
  });

  it('names the scenario field a point breaks', () => {
    expect(() => expand_sweep(sweep({ grid: { 'groups[g].count': [1, 0] } }), base, profiles)).toThrow(/sweep point 1 \(groups\[g\]\.count=0\)[\s\S]*groups\[0\]\.count/);
    expect(() => expand_sweep(sweep({ grid: { 'groups[g].colour': ['red'] } }), base, profiles)).toThrow(/groups\[0\][\s\S]*colour/);
  });

  it('names a bad parameter path and an unknown profile', () => {
    expect(() => expand_sweep(sweep({ grid: { 'groups[h].count': [1] } }), base, profiles)).toThrow(/grid\["groups\[h\]\.count"\].*no entry named "h"/);
    expect(() => expand_sweep(sweep({ list: [{ profile: 'linux-9' }] }), base, profiles)).toThrow(/list\[0\]\["profile"\]: "linux-9" is not a known kernel profile; allowed: 6\.18\.44-reference, debian/);
  });
});

describe('load_sweep', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-sweep-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, v: unknown) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, typeof v === 'string' ? v : JSON.stringify(v));
    return f;
  };
  write('base.json', base);

  it('reads the base scenario relative to the sweep file', () => {
    const f = write('ok.json', { format: 'tcpmem-sweep/1', name: 'ok', base: 'base.json', grid: { 'groups[0].count': [1, 2] } });
    expect(load_sweep(f).points).toHaveLength(2);
  });

  it('names the sweep fields that are wrong', () => {
    const f = write('bad.json', { format: 'tcpmem-sweep/2', name: 'Bad Name', base: 'base.json', grid: { 'groups[0].count': 3 }, colour: 1 });
    let msg = '';
    try {
      load_sweep(f);
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toMatch(/format/);
    expect(msg).toMatch(/name: lowercase letters/);
    expect(msg).toMatch(/grid\.groups\[0\]\.count/);
    expect(msg).toMatch(/colour/);
  });

  it('wants exactly one of grid and list', () => {
    const f = write('both.json', { format: 'tcpmem-sweep/1', name: 'b', base: 'base.json', grid: { 'groups[0].count': [1] }, list: [{ 'groups[0].count': 2 }] });
    expect(() => load_sweep(f)).toThrow(/grid: give exactly one of "grid" or "list"/);
    const g = write('none.json', { format: 'tcpmem-sweep/1', name: 'b', base: 'base.json' });
    expect(() => load_sweep(g)).toThrow(/grid: give exactly one of "grid" or "list"/);
  });

  it('says which file is missing or not JSON', () => {
    expect(() => load_sweep(path.join(dir, 'nope.json'))).toThrow(/sweep file .*nope\.json: no such file/);
    const f = write('nobase.json', { format: 'tcpmem-sweep/1', name: 'b', base: 'missing.json', list: [{}] });
    expect(() => load_sweep(f)).toThrow(/field "base".*missing\.json: no such file/);
    expect(() => load_sweep(write('broken.json', '{'))).toThrow(/not valid JSON/);
  });
});
