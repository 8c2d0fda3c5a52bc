import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { write_run_dir } from '../../io/run_dir';
import { parse_kernel_profile } from '../../model/profile/kernel_profile';
import type { Run } from '../../model/run_output/run_output';
import { InputError } from '../../model/schema/format_zod_error';
import { find_all_captures, find_captures } from '../../validate/find_captures';
import type { SimulateFn } from '../../validate/load_simulator';
import { write_report } from '../../validate/render_report';
import { render_table } from '../../validate/render_table';
import { validate_paths } from '../../validate/validate_paths';
import { socket_row, synthetic_run, synthetic_scenario } from '../model/compare/synthetic_run';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-validate-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ref = parse_kernel_profile(JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/profiles/linux-6.18.44-reference.json'), 'utf8')));

// on 6.18 lo: 17 spaced 1-byte writes → the reader holds 833 + 16 = 849 bytes.
const scenario = synthetic_scenario({ tolerances: { skmem_r: { why: 'deterministic truesize on the same kernel (R-3.3, R-4.7)' } } });
function capture(r_end: number, release = '6.18.44-fc-v782'): Run {
  return synthetic_run(
    scenario,
    [socket_row({ t_ms: 0, side: 'server', r_bytes: 833 }), socket_row({ t_ms: 100, side: 'server', r_bytes: r_end })],
    [{ t_ms: 0, values: { sockets_pages: 1 } }, { t_ms: 100, values: { sockets_pages: 1 } }],
    { kernel_release: release },
  );
}
/** A stand-in simulator that predicts a fixed r at the end (the real one is tested in test/model/sim). */
function fake_simulator(r_end: number): SimulateFn {
  return (sc, profile) => {
    const run = capture(r_end, profile.release);
    return { run: { ...run, meta: { ...run.meta, source: 'simulator', scenario: sc, profile_id: profile.id } }, events: 0, peak_state_bytes: 0 };
  };
}

write_run_dir(path.join(tmp, 'caps', 'synthetic', 'r0'), capture(849));
write_run_dir(path.join(tmp, 'caps', 'synthetic', 'r1'), capture(849));
write_run_dir(path.join(tmp, 'caps', 'debian-6.1', 'synthetic', 'r0'), capture(849, '6.1.0-99-unknown'));
fs.writeFileSync(path.join(tmp, 'caps', 'README.md'), 'not a capture\n');

describe('find_captures', () => {
  it('treats a directory of r0..rN runs as one capture with repeats in order', () => {
    const sets = find_captures(path.join(tmp, 'caps', 'synthetic'));
    expect(sets).toHaveLength(1);
    expect(sets[0].run_dirs.map((d) => path.basename(d))).toEqual(['r0', 'r1']);
  });

  it('searches below a kernel directory such as data/captures/debian-6.1 and skips plain files', () => {
    const { sets, skipped } = find_all_captures([path.join(tmp, 'caps', 'debian-6.1'), path.join(tmp, 'caps', 'README.md')]);
    expect(sets.map((s) => path.relative(tmp, s.dir))).toEqual([path.join('caps', 'debian-6.1', 'synthetic')]);
    expect(skipped).toEqual([`${path.join(tmp, 'caps', 'README.md')}: not a directory`]);
  });

  it('rejects a path that does not exist, naming it', () => {
    expect(() => find_all_captures([path.join(tmp, 'nope')])).toThrow(/nope: no such capture directory/);
  });

  it('skips an empty directory among others but rejects a set of paths with no capture at all', () => {
    fs.mkdirSync(path.join(tmp, 'empty'), { recursive: true });
    const { sets, skipped } = find_all_captures([path.join(tmp, 'empty'), path.join(tmp, 'caps', 'synthetic')]);
    expect(sets).toHaveLength(1);
    expect(skipped).toEqual([`${path.join(tmp, 'empty')}: no capture below it`]);
    expect(() => find_all_captures([path.join(tmp, 'empty')])).toThrow(/no capture found/);
  });
});

describe('validate_paths', () => {
  it('passes a capture the simulator reproduces and prints the table with the spread of the repeats', () => {
    const { results } = validate_paths([path.join(tmp, 'caps', 'synthetic')], { profiles: [ref], simulate: fake_simulator(849), known_gaps: [] });
    const row = results[0].comparison.rows.find((r) => r.metric === 'skmem_r' && r.subject === 'g/server');
    expect(row).toMatchObject({ measured: 849, simulated: 849, spread: 0, verdict: 'pass' });
    const text = render_table(results);
    expect(text).toMatch(/skmem_r\s+g\/server\s+849\s+849\s+0\s+0\.00%\s+0 \(2\)\s+exact\s+0\s+pass/);
    expect(text).toMatch(/no metric outside its tolerance/);
  });

  it('marks a miss as FAIL in the table', () => {
    const { results } = validate_paths([path.join(tmp, 'caps', 'synthetic')], { profiles: [ref], simulate: fake_simulator(1665), known_gaps: [] });
    expect(render_table(results)).toMatch(/skmem_r\s+g\/server\s+849\s+1665\s+816\s+96\.1%\s+816 \(2\)\s+exact\s+0\s+FAIL/);
  });

  it('tells how to derive a profile when the capture\'s kernel has none', () => {
    const run = () => validate_paths([path.join(tmp, 'caps', 'debian-6.1')], { profiles: [ref], simulate: fake_simulator(849), known_gaps: [] });
    expect(run).toThrow(InputError);
    expect(run).toThrow(/6\.1\.0-99-unknown, which no profile describes.*tcpmem profile --from-host/);
  });
});

describe('write_report', () => {
  it('writes Markdown with the table and one SVG chart per judged metric next to the report', async () => {
    const { results } = validate_paths([path.join(tmp, 'caps', 'synthetic')], { profiles: [ref], simulate: fake_simulator(849), known_gaps: [] });
    const file = path.join(tmp, 'out', 'report.md');
    const { charts } = await write_report(file, results);
    const md = fs.readFileSync(file, 'utf8');
    expect(md).toContain('| skmem_r | g/server | 849 | 849 | 0 | 0.00% | 0 (2) | exact | 0 | pass |');
    expect(md).toContain(render_table(results).trimEnd());
    for (const c of charts) expect(path.dirname(c)).toBe(path.join(tmp, 'out', 'report'));
    expect(charts.some((c) => path.basename(c).includes('skmem-r-g-server'))).toBe(true);
    expect(charts.length).toBeGreaterThanOrEqual(1);
    for (const c of charts) expect(fs.readFileSync(c, 'utf8')).toMatch(/^<svg/);
    expect(fs.readdirSync(path.join(tmp, 'out')).sort()).toEqual(['report', 'report.md']);
  });
});

describe('write_report next to foreign files', () => {
  it('refuses to replace a chart directory that holds other files, and writes nothing', async () => {
    const { results } = validate_paths([path.join(tmp, 'caps', 'synthetic')], { profiles: [ref], simulate: fake_simulator(849), known_gaps: [] });
    fs.mkdirSync(path.join(tmp, 'busy', 'notes'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'busy', 'notes', 'keep.txt'), 'mine\n');
    await expect(write_report(path.join(tmp, 'busy', 'notes.md'), results)).rejects.toThrow(/holds other files \(keep\.txt\)/);
    expect(fs.readdirSync(path.join(tmp, 'busy')).sort()).toEqual(['notes']);
    expect(fs.readdirSync(path.join(tmp, 'busy', 'notes'))).toEqual(['keep.txt']);
  });
});

describe('validate_paths when the simulator throws', () => {
  it('names the capture, the scenario and the profile in the error', () => {
    const broken: SimulateFn = () => {
      throw new Error('boom');
    };
    expect(() => validate_paths([path.join(tmp, 'caps', 'synthetic')], { profiles: [ref], simulate: broken, known_gaps: [] })).toThrow(
      /caps\/synthetic: the simulator failed while replaying scenario synthetic with profile 6\.18\.44-reference: boom/,
    );
  });
});

describe('validation_json', () => {
  it('carries every row with its verdict and the exit code', async () => {
    const { validation_json } = await import('../../validate/validate_paths');
    const { results } = validate_paths([path.join(tmp, 'caps', 'synthetic')], { profiles: [ref], simulate: fake_simulator(1665), known_gaps: [] });
    const doc = validation_json(results) as { exit_code: number; captures: Array<{ rows: Array<{ metric: string; subject: string; verdict: string; error_abs: number }> }> };
    expect(doc.exit_code).toBe(1);
    expect(doc.captures[0].rows.find((r) => r.metric === 'skmem_r' && r.subject === 'g/server')).toMatchObject({ verdict: 'fail', error_abs: 816 });
  });
});

describe('validate_paths with a VM capture', () => {
  it('accepts the global sysctls a VM scenario may set and writes them over the profile', () => {
    const vm_scenario = synthetic_scenario({ kernel: { sysctls: { 'net.ipv4.tcp_mem': '100 200 300' } } }, 'vm');
    const run = synthetic_run(vm_scenario, [socket_row({ t_ms: 0, side: 'server', r_bytes: 0 })], [], { source: 'vm' });
    write_run_dir(path.join(tmp, 'vmcap', 'r0'), run);
    let seen: number[] | null = null;
    const spy: SimulateFn = (sc, profile) => {
      seen = profile.sysctl.tcp_mem;
      return fake_simulator(0)(sc, profile);
    };
    validate_paths([path.join(tmp, 'vmcap')], { profiles: [ref], simulate: spy, known_gaps: [] });
    expect(seen).toEqual([100, 200, 300]);
  });
});
