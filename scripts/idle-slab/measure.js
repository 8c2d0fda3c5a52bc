#!/usr/bin/env node
'use strict';
/**
 * Measures the idle per-pair slab cost of loopback TCP connections on this machine (docs/model.md).
 * Needs root. For each run: creates a private netns tcpmem-h1-slab-<pid>-<k>, starts open_pairs.js in it,
 * snapshots /proc/slabinfo (active_objs × objsize per cache) before and after opening the pairs, closes them,
 * deletes the namespace (also on failure). Never touches global sysctls or other namespaces.
 *   node scripts/idle-slab/measure.js --pairs 2000,4000 --modes raw,raw-epoll --repeat 3 --out data/measurements/idle-slab-2026-11-25.json
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const args = process.argv.slice(2);
const get = (k, d) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : d;
};
const pair_counts = get('--pairs', '2000,4000').split(',').map(Number);
const modes = get('--modes', 'raw,raw-epoll').split(',');
const repeat = Number(get('--repeat', '3'));
const settle_ms = Number(get('--settle-ms', '1500'));
const out = get('--out', null);
const ip = get('--ip', 'ipv4');
for (const n of pair_counts) if (!(n >= 1 && n <= 9900)) throw new Error('--pairs: each allowed 1 to 9900');

function slabinfo() {
  const m = {};
  for (const line of fs.readFileSync('/proc/slabinfo', 'utf8').split('\n').slice(2)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    m[f[0]] = { active_objs: Number(f[1]), num_objs: Number(f[2]), objsize: Number(f[3]) };
  }
  return m;
}

function diff(a, b) {
  const d = {};
  for (const name of Object.keys(b)) {
    const before = a[name] ?? { active_objs: 0, num_objs: 0, objsize: b[name].objsize };
    const da = b[name].active_objs - before.active_objs;
    const dn = b[name].num_objs - before.num_objs;
    if (da !== 0 || dn !== 0) d[name] = { objsize: b[name].objsize, d_active_objs: da, d_num_objs: dn, d_active_bytes: da * b[name].objsize };
  }
  return d;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const created = new Set();
function del_ns(ns) {
  if (!created.has(ns)) return;
  try {
    execFileSync('ip', ['netns', 'del', ns]);
  } catch {}
  created.delete(ns);
}
let child = null;
function cleanup() {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  for (const ns of [...created]) del_ns(ns);
}
process.on('SIGINT', () => (cleanup(), process.exit(130)));
process.on('SIGTERM', () => (cleanup(), process.exit(143)));

async function one_run(k, pairs, mode) {
  const ns = `tcpmem-h1-slab-${process.pid}-${k}`;
  execFileSync('ip', ['netns', 'add', ns]);
  created.add(ns);
  try {
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    child = spawn('ip', ['netns', 'exec', ns, process.execPath, path.join(__dirname, 'open_pairs.js'), '--pairs', String(pairs), '--mode', mode, '--ip', ip], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const expect_line = async (prefix) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      const r = await lines.next();
      clearTimeout(timer);
      if (r.done || !r.value.startsWith(prefix)) throw new Error(`open_pairs: expected "${prefix}", got ${r.done ? 'end of output' : r.value}`);
    };
    await expect_line('ready');
    await sleep(settle_ms);
    const before = slabinfo();
    const t0 = Date.now();
    child.stdin.write('open\n');
    await expect_line('opened');
    const open_ms = Date.now() - t0;
    await sleep(settle_ms);
    const after = slabinfo();
    const sockstat = fs.readFileSync(`/proc/net/sockstat`, 'utf8');
    child.stdin.write('close\n');
    await expect_line('closed');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    return { pairs, mode, ip, netns: ns, open_ms, settle_ms, deltas: diff(before, after), host_sockstat_after: sockstat.trim() };
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    del_ns(ns);
  }
}

async function main() {
  const runs = [];
  let k = 0;
  for (let r = 0; r < repeat; r++) {
    for (const pairs of pair_counts) {
      for (const mode of modes) {
        const run = await one_run(k++, pairs, mode);
        runs.push({ repetition: r, ...run });
        const d = run.deltas;
        const pick = (n) => (d[n] ? (d[n].d_active_bytes / pairs).toFixed(1) : '0');
        process.stderr.write(
          `run ${k}: ${pairs} pairs ${mode} ${ip}: TCP ${pick('TCP')} TCPv6 ${pick('TCPv6')} sock_inode ${pick('sock_inode_cache')} filp ${pick('filp')} dentry ${pick('dentry')} epi/bind(128) ${pick('eventpoll_epi')} B/pair\n`,
        );
      }
    }
  }
  const result = {
    date: new Date().toISOString(),
    kernel: fs.readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    nr_cpus: require('node:os').cpus().length,
    method:
      'scripts/idle-slab/measure.js: for each run a fresh network namespace; open_pairs.js started in it and idle; ' +
      `/proc/slabinfo snapshot; N ${ip} loopback pairs opened (connect + accept, sequential); ${settle_ms} ms settle; snapshot; ` +
      'delta of active_objs × objsize per cache. Modes: raw = koffi socket/connect/accept (no epoll); raw-epoll = same + one ' +
      'epoll_ctl(ADD) per fd into one epoll set; net = Node net (libuv epoll). Merged caches appear under their root name ' +
      '(eventpoll_epi = :A-0000128 also holding tcp_bind_bucket and tcp_bind2_bucket; eventpoll_pwq is merged into :A-0000064). ' +
      'SLUB counts per-CPU slabs as fully active, so each cache is uncertain by about one slab per CPU.',
    runs,
  };
  const text = JSON.stringify(result, null, 2) + '\n';
  if (out) {
    const tmp = `${out}.tmp-${process.pid}`;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, out);
  } else process.stdout.write(text);
}

main().then(
  () => cleanup(),
  (e) => {
    cleanup();
    process.stderr.write(`measure: ${e.message}\n`);
    process.exit(1);
  },
);
