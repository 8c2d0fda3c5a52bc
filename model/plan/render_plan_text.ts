import type { Figure, FigureMethod, PlanResult } from './plan_types';

const method_label: Record<FigureMethod, string> = {
  analytic_exact: 'exact (analytic)',
  analytic_estimate: 'estimate (analytic)',
  analytic_bound: 'upper bound (analytic)',
  simulation_sample: 'simulated sample',
  not_available: 'n/a',
};

export function fmt_int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Bytes in binary units with three significant digits (e.g. 45.6 GiB). */
export function fmt_bytes(b: number | null): string {
  if (b === null) return 'n/a';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = b;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[u]}`;
}

function fig_pages(f: Figure): string {
  return f.value === null ? 'n/a' : `${Number.isInteger(f.value) ? fmt_int(f.value) : f.value.toFixed(3)} pg`;
}

function row(cells: string[], widths: number[]): string {
  return '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
}

const region_text: Record<string, string> = {
  below_min: 'below tcp_mem[0] (no limits)',
  above_min: 'above tcp_mem[0] (buffer growth stops)',
  pressure: 'above tcp_mem[1]: MEMORY PRESSURE',
  over_max: 'above tcp_mem[2]: allocations fail, "TCP: out of memory"',
};

/** The human-readable report of `tcpmem plan` (tables). Pure: returns the text. */
export function render_plan_text(plan: PlanResult, extra: { elapsed_ms?: number; simulation?: string } = {}): string {
  const L: string[] = [];
  const side = plan.side === 'both' ? 'both sockets' : `${plan.side} socket`;
  L.push(`tcpmem plan: ${plan.workload} × ${fmt_int(plan.connections)} connections (${side} of each), profile ${plan.profile_id}`);
  const tm = plan.tcp_mem;
  const tm_src = {
    flag: 'from --tcp-mem',
    computed_from_ram: `computed from --ram: nr_free_buffer_pages ≈ ${fmt_int(tm.nr_free_buffer_pages ?? 0)}, /16 (R-6.1)`,
    profile_sysctl: "the profile's sysctl",
    computed_from_profile: `computed from the profile's nr_free_buffer_pages ${fmt_int(tm.nr_free_buffer_pages ?? 0)} (R-6.1)`,
  }[tm.source];
  L.push(`RAM ${fmt_bytes(plan.ram.bytes)} (${plan.ram.source === 'flag' ? '--ram' : "the profile's machine"}); tcp_mem ${tm.pages.join(' ')} pages (${tm_src})`);
  L.push('');
  L.push('Per connection, by group (pages = ceil((r+w+f)/4096), R-6.2)');
  const w = [34, 14, 14, 24];
  L.push(row(['group / socket', 'steady', 'peak', 'method (steady / peak)'], w));
  for (const g of plan.groups) {
    L.push(`  ${g.group}: ${(g.share * 100).toFixed(g.share < 0.01 ? 2 : 1)}% → ${fmt_int(g.connections)} connections`);
    g.sockets.forEach((s, i) => {
      L.push(row([`    ${s.side} slab (${s.role})`, fmt_bytes(s.slab_bytes), fmt_bytes(s.slab_bytes), method_label.analytic_exact], w));
      const st = g.socket_steady_pages[i];
      const pk = g.socket_peak_pages[i];
      L.push(row([`    ${s.side} buffers`, fig_pages(st), fig_pages(pk), `${method_label[st.method]} / ${method_label[pk.method]}`], w));
      for (const f of [st, pk]) if (f.note) L.push(`        ${f === st ? 'steady' : 'peak'}: ${f.note}`);
      if (pk.method === 'simulation_sample' && s.bound_pages.value !== null && s.bound_pages.value > (pk.value ?? 0)) {
        L.push(`        upper bound: ${fig_pages(s.bound_pages)} (${s.bound_pages.note ?? 'buffer limit'})`);
      }
      for (const n of s.notes) L.push(`        note: ${n}`);
    });
    if (g.peak_concurrency < 1) {
      L.push(`    at once: ${(g.peak_concurrency * 100).toPrecision(3)}% of the group at its peak (staggered, rate × RTT ${plan.rtt_ms} ms)`);
    }
  }
  L.push('');
  L.push(`Totals for ${fmt_int(plan.connections)} connections`);
  const t = plan.totals;
  const w2 = [26, 14, 14, 24];
  L.push(row(['', 'steady', 'peak', 'method (steady / peak)'], w2));
  L.push(row(['slab', fmt_bytes(t.slab_bytes.value), fmt_bytes(t.slab_bytes.value), method_label.analytic_exact], w2));
  L.push(row(['socket buffers', fmt_bytes(t.steady_buffer_bytes.value), fmt_bytes(t.peak_buffer_bytes.value), `${method_label[t.steady_buffer_bytes.method]} / ${method_label[t.peak_buffer_bytes.method]}`], w2));
  L.push(row(['total kernel memory', fmt_bytes(t.steady_total_bytes.value), fmt_bytes(t.peak_total_bytes.value), ''], w2));
  L.push(row(['per connection', fmt_bytes(t.per_connection_steady_bytes.value), fmt_bytes(t.per_connection_peak_bytes.value), ''], w2));
  L.push(row(['sockstat TCP mem (pages)', t.steady_pages.value === null ? 'n/a' : fmt_int(t.steady_pages.value), t.peak_pages.value === null ? 'n/a' : fmt_int(t.peak_pages.value), `± ${plan.pressure.sockstat_lag_pages} lag (R-6.6)`], w2));
  L.push('');
  L.push('Against tcp_mem');
  L.push(`  steady: ${plan.pressure.steady_region ? region_text[plan.pressure.steady_region] : 'n/a'}`);
  L.push(`  peak:   ${plan.pressure.peak_region ? region_text[plan.pressure.peak_region] : 'n/a'}`);
  for (const [label, c] of [['steady', plan.pressure.steady_crossings], ['peak', plan.pressure.peak_crossings]] as const) {
    const f = (v: number | null) => (v === null ? 'never' : fmt_int(v));
    L.push(`  ${label} figures cross tcp_mem[0] at ${f(c.min)}, tcp_mem[1] (pressure) at ${f(c.pressure)}, tcp_mem[2] ("out of memory") at ${f(c.max)} connections`);
  }
  const fit = (v: number | null) => (v === null ? 'n/a' : fmt_int(v));
  L.push(`  connections whose slab + buffers fit in ${fmt_bytes(plan.ram.bytes)} of RAM: ${fit(plan.fit.in_ram_steady)} (steady), ${fit(plan.fit.in_ram_peak)} (peak) — kernel memory only, no application memory`);
  if (plan.pressure.peak_region === 'below_min') {
    L.push('');
    L.push('No tuning needed: the peak stays below tcp_mem[0], where the kernel sets no limits (R-6.4).');
  }
  if (plan.tuning.length > 0) {
    L.push('');
    L.push(`Keeping the peak out of pressure (throughput = window / RTT ${plan.rtt_ms} ms)`);
    plan.tuning.forEach((o, i) => {
      L.push(`  ${i + 1}. ${o.setting}${o.feasible ? '' : '  [not feasible]'}`);
      L.push(`     why:  ${o.derivation}`);
      L.push(`     cost: ${o.cost}`);
    });
  }
  const notes = [...plan.notes];
  if (extra.simulation) notes.push(extra.simulation);
  if (notes.length > 0) {
    L.push('');
    L.push('Notes');
    for (const n of notes) L.push(`  - ${n}`);
  }
  if (extra.elapsed_ms !== undefined) L.push(`\n(planned in ${extra.elapsed_ms.toFixed(0)} ms)`);
  return L.join('\n') + '\n';
}
