import type { ConnectionGroup } from '../../model/scenario';

/**
 * The line protocol between `run_capture` (the orchestrator) and a workload runner process:
 * one JSON object per line on the runner's stdin (commands) and stdout (reports).
 */
export interface RunnerConfig {
  role: 'client' | 'server';
  ip: 'ipv4' | 'ipv6';
  /** Address the server listens on and the client connects to. */
  server_addr: string;
  /** Group i listens on base_port + i. */
  base_port: number;
  groups: ConnectionGroup[];
}

export type RunnerCommand =
  | { type: 'map'; ports: number[][] }
  | { type: 'start' }
  | { type: 'snap'; id: number }
  | { type: 'stop' };

export type RunnerReport =
  | { type: 'hello'; pid: number }
  | { type: 'listening' }
  | { type: 'connected'; ports: number[][] }
  | { type: 'ready' }
  | { type: 'snap'; id: number; t_ms: number; written: number[][]; read: number[][]; send_errors: number; max_late_ms: number }
  | { type: 'error'; message: string };

/** Which side's options a socket gets: the writer's side gets writer_sockopts. */
export function sockopts_for(group: ConnectionGroup, side: 'client' | 'server') {
  return group.writer.side === side ? group.writer_sockopts : group.reader_sockopts;
}
