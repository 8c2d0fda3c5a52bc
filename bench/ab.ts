/**
 * `node dist/bench/ab.js <dist-A> <dist-B> [repeats] [connections]`: before/after CPU time of two builds of
 * the simulator on the bench's scenarios, on a busy machine. Each run is a fresh child process; the two
 * builds alternate (A B A B …) so load changes hit both alike. Prints CPU ms (process.cpuUsage: user +
 * system) per run, events, state bytes per connection, and the ratio of the medians.
 *
 * Make the "before" build with e.g. `git worktree add /tmp/before <commit> && cd /tmp/before && npm ci
 * && npm run build`, or copy a dist/ next to a node_modules (Node resolves modules up the tree).
 * With `--child <dist> <kind> <n>` it is the child: it runs one simulation and prints one JSON line.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { push_server_input, segments_input } from './bench_scenarios';

type Kind = 'segments' | 'push' | 'state';

function scenario(kind: Kind, n: number): unknown {
  return kind === 'segments' ? segments_input(n) : push_server_input(n, kind === 'push' ? 60_000 : 1000);
}

function child(dist: string, kind: Kind, n: number): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parse_scenario } = require(path.join(dist, 'model/scenario/parse_scenario'));
  const { get_builtin_profile } = require(path.join(dist, 'model/profile/builtin_profiles'));
  const { simulate } = require(path.join(dist, 'model/sim'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  const s = parse_scenario(scenario(kind, n), 'simulate');
  const p = get_builtin_profile('6.18.44-reference');
  const c0 = process.cpuUsage();
  const r = simulate(s, p, { socket_rows: false, allow_weighting: kind !== 'state' });
  const c = process.cpuUsage(c0);
  const cpu_ms = (c.user + c.system) / 1000;
  process.stdout.write(JSON.stringify({ cpu_ms, events: r.events, state_bytes_per_conn: r.peak_state_bytes / n, rss: process.memoryUsage().rss }) + '\n');
}

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    child(path.resolve(args[1]), args[2] as Kind, Number(args[3]));
    return;
  }
  if (args.length < 2) throw new Error('usage: node dist/bench/ab.js <dist-A> <dist-B> [repeats] [connections]');
  const [a, b] = [path.resolve(args[0]), path.resolve(args[1])];
  const repeats = Number(args[2] ?? 3);
  const n = Number(args[3] ?? 1_000_000);
  for (const kind of ['segments', 'push', 'state'] as Kind[]) {
    const cpu: Record<string, number[]> = { A: [], B: [] };
    for (let r = 0; r < repeats; r++) {
      for (const [name, dist] of [
        ['A', a],
        ['B', b],
      ] as const) {
        const out = execFileSync(process.execPath, [__filename, '--child', dist, kind, String(n)], { encoding: 'utf8' });
        const x = JSON.parse(out.trim().split('\n').pop()!) as { cpu_ms: number; events: number; state_bytes_per_conn: number; rss: number };
        cpu[name].push(x.cpu_ms);
        process.stdout.write(
          `${kind} ${name}: ${Math.round(x.cpu_ms)} ms CPU, ${x.events} events (${Math.round(x.events / (x.cpu_ms / 1000))}/CPU-s), ${x.state_bytes_per_conn.toFixed(1)} B/conn, RSS ${Math.round(x.rss / 2 ** 20)} MiB\n`,
        );
      }
    }
    process.stdout.write(`${kind}: median CPU B/A = ${(median(cpu.B) / median(cpu.A)).toFixed(3)}\n`);
  }
}

main();
