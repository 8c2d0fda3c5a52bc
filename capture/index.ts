export { run_capture, check_capture_environment, BASE_PORT } from './run_capture';
export type { RunCaptureOptions } from './run_capture';
export { list_netns } from './netns';
export { is_alive } from './runner_process';
export { MEMCG_V1_ROOT } from './memcg';
export * from './parsers';
