export * from './explain_links';
export * from './receive_queue';
export * from './send_queue';
export * from './explain_connections';
