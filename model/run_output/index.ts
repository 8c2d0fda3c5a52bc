export {
  RUN_FORMAT,
  socket_columns,
  global_base_columns,
  counter_column,
  slab_column,
  recorded_counters,
  recorded_slab_caches,
} from './run_output';
export type { Run, RunMeta, RunSource, SocketSample, SocketColumn, GlobalSample } from './run_output';
export { to_csv, parse_csv } from './csv';
