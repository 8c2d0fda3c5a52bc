export type { MetricKey, MetricSeries, Verdict, ComparisonRow, CaptureComparison } from './comparison_types';
export {
  extract_metrics,
  socket_metric_columns,
  connection_count,
  reader_side,
  single_write_size_bytes,
} from './extract_metrics';
export { judge_metric, allowed_error, worst_sample_error } from './judge_metric';
export type { JudgeInput } from './judge_metric';
export { compare_runs, comparison_exit_code } from './compare_runs';
export { known_gap_schema, known_gaps_file_schema, parse_known_gaps, find_known_gap } from './known_gaps';
export type { KnownGap } from './known_gaps';
export { profile_for_run, match_profile } from './profile_for_run';
export { current_tolerances } from './current_tolerances';
