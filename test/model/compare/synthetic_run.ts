import { parse_scenario } from '../../../model/scenario/parse_scenario';
import type { Scenario, ScenarioInput } from '../../../model/scenario/scenario_schema';
import type { GlobalSample, Run, RunSource, SocketSample } from '../../../model/run_output/run_output';

/** A small scenario: one group of `count` connections, client writes 1-byte segments, server never reads. */
export function synthetic_scenario(over: Partial<ScenarioInput> = {}, target: 'simulate' | 'vm' = 'simulate'): Scenario {
  return parse_scenario(
    {
      format: 'tcpmem-scenario/1',
      name: 'synthetic',
      kernel: {},
      groups: [
        {
          name: 'g',
          count: 2,
          writer: { program: { kind: 'writes', steps: [{ size_bytes: 1, count: 17, spacing_ms: 10 }] } },
          reader: { kind: 'never' },
        },
      ],
      sampling: { interval_ms: 100, duration_ms: 200 },
      ...over,
    },
    target,
  );
}

/** A socket row with every numeric column null except those given. */
export function socket_row(fields: Partial<SocketSample> & Pick<SocketSample, 't_ms' | 'side'>): SocketSample {
  const base: Record<string, unknown> = {
    group: 'g',
    conn: 0,
    state: 'ESTAB',
    weight: 1,
  };
  for (const c of [
    'r_bytes', 'rb_bytes', 't_bytes', 'tb_bytes', 'f_bytes', 'w_bytes', 'o_bytes', 'bl_bytes', 'd_count',
    'recv_q_bytes', 'send_q_bytes', 'notsent_bytes', 'rcv_space_bytes', 'rcv_ssthresh_bytes', 'snd_wnd_bytes',
    'rcv_wnd_bytes', 'cwnd_segs', 'mss_bytes', 'advmss_bytes', 'rcv_mss_bytes', 'unacked_segs', 'bytes_received',
    'bytes_acked', 'bytes_written', 'bytes_read',
  ]) base[c] = null;
  return { ...base, ...fields } as SocketSample;
}

export function synthetic_run(
  scenario: Scenario,
  sockets: SocketSample[],
  global: GlobalSample[],
  opts: { source?: RunSource; kernel_release?: string; counters?: string[]; slab_caches?: string[] } = {},
): Run {
  return {
    meta: {
      format: 'tcpmem-run/1',
      source: opts.source ?? 'kernel',
      scenario,
      scenario_file: null,
      kernel_release: opts.kernel_release ?? '6.18.44-fc-v782',
      profile_id: null,
      sysctls: {},
      tool_version: '0.0.0-test',
      host: { cpus: 2, mem_total_bytes: null, machine: null },
      started_at: null,
      wall_ms: null,
      repeat_index: 0,
      counters: opts.counters ?? [],
      slab_caches: opts.slab_caches ?? [],
      notes: [],
    },
    sockets,
    global,
  };
}
