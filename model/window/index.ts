export * from './tcp_win_from_space';
export * from './sock_set_buf';
export * from './tcp_mss_for_link';
export * from './tcp_rcv_wscale';
export * from './tcp_select_initial_window';
export * from './tcp_sndbuf_expand';
export * from './tcp_init_buffer_space';
export * from './tcp_measure_rcv_mss_ratio';
