export * from './tcp_init_mem';
export * from './sk_mem_pages';
export * from './sk_mem_schedule';
export * from './pressure_region';
export * from './sockstat_lag_bound_pages';
