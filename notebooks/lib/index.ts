export * from './table';
export * from './format';
export * from './display';
export * from './tslab_display';
