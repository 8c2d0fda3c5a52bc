/**
 * `node dist/bench/output_hashes.js [--write]`: the "no behaviour change" check for simulator refactors.
 *
 * Simulates every scenario under data/scenarios, data/scenarios/vm and data/workloads on both profiles of
 * data/profiles (weighting on and off), plus the two bench scenarios (push server and segment events,
 * staggered rate writers) at 20,000 connections with socket rows, and hashes each run (meta, sockets,
 * global as JSON, and the event count). `--write` records the hashes in bench/output_hashes.json; without
 * it the script compares against that file and exits 1 on any difference. Timing is not part of the hash,
 * and neither is peak_state_bytes (what a refactor may change).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse_sim_scenario, simulate } from '../model/sim';
import { read_profile_file } from '../io/profile_file';
import { read_json_file } from '../io/read_json_file';
import type { KernelProfile } from '../model/profile/kernel_profile';
import type { Scenario } from '../model/scenario/scenario_schema';
import { push_server_input, segments_input } from './bench_scenarios';

const ROOT = path.join(__dirname, '..', '..');

function scenario_files(): string[] {
  const out: string[] = [];
  for (const d of ['data/scenarios', 'data/scenarios/vm', 'data/workloads']) {
    for (const f of fs.readdirSync(path.join(ROOT, d)).sort()) if (f.endsWith('.json')) out.push(path.join(d, f));
  }
  return out;
}

/** The bench's scenario shapes (bench/main.ts), smaller: staggered rate writers, one connection each. */
function bench_scenarios(n: number): { name: string; s: Scenario }[] {
  const push = push_server_input(n, 60_000);
  const seg = segments_input(n, 1000);
  return [
    { name: `bench-push-server-${n}`, s: parse_sim_scenario(push) },
    { name: `bench-segments-${n}`, s: parse_sim_scenario(seg) },
  ];
}

function hash_run(s: Scenario, p: KernelProfile, allow_weighting: boolean): string {
  const r = simulate(s, p, { allow_weighting, tool_version: 'hash' });
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify(r.run));
  h.update(`|events=${r.events}`);
  return h.digest('hex').slice(0, 24);
}

function main(): void {
  const write = process.argv.includes('--write');
  const profiles = fs
    .readdirSync(path.join(ROOT, 'data/profiles'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => read_profile_file(path.join(ROOT, 'data/profiles', f)));
  const hashes: Record<string, string> = {};
  const t0 = process.cpuUsage();
  const cases: { name: string; s: Scenario }[] = scenario_files().map((f) => ({ name: f, s: parse_sim_scenario(read_json_file(path.join(ROOT, f)), f) }));
  cases.push(...bench_scenarios(20_000));
  for (const { name, s } of cases) {
    for (const p of profiles) {
      for (const w of [true, false]) {
        const key = `${name}|${p.id}|weighting=${w ? 'on' : 'off'}`;
        hashes[key] = hash_run(s, p, w);
      }
    }
  }
  const file = path.join(ROOT, 'bench', 'output_hashes.json');
  const cpu = process.cpuUsage(t0);
  const n = Object.keys(hashes).length;
  process.stdout.write(`${n} simulations in ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU\n`);
  if (write) {
    fs.writeFileSync(file, JSON.stringify(hashes, null, 1) + '\n');
    process.stdout.write(`wrote ${file}\n`);
    return;
  }
  const want = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  let bad = 0;
  for (const k of new Set([...Object.keys(want), ...Object.keys(hashes)])) {
    if (want[k] !== hashes[k]) {
      bad++;
      process.stdout.write(`DIFFERS: ${k}: recorded ${want[k] ?? '-'}, now ${hashes[k] ?? '-'}\n`);
    }
  }
  process.stdout.write(bad === 0 ? `all ${n} simulations byte-identical\n` : `${bad} of ${n} differ\n`);
  if (bad > 0) process.exitCode = 1;
}

main();
