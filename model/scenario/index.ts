export { scenario_schema, namespaced_sysctls, vm_only_sysctls, metric_names } from './scenario_schema';
export type {
  Scenario,
  ScenarioInput,
  ConnectionGroup,
  WriterProgram,
  ReaderProgram,
  LinkSpec,
  LossSpec,
  SockOpts,
  Tolerance,
  MetricName,
} from './scenario_schema';
export { parse_scenario, CAPTURE_MAX_CONNECTIONS } from './parse_scenario';
export type { ScenarioTarget } from './parse_scenario';
