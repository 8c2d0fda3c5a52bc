export { summarize_run, socket_pages, slab_cache_stride_bytes } from './run_summary';
export type { RunSummary, SampleFigures, SideFigures, SlabFigures } from './run_summary';
