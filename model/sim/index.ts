export { simulate } from './simulate';
export type { SimOptions, SimResult } from './simulate';
export { sim_counters } from './counters';
export type { SimCounter } from './counters';
export { parse_sim_scenario } from './parse_sim_scenario';
