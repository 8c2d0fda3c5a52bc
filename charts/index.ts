export * from './chart_types';
export * from './chart_frame';
export * from './render_svg';
export * from './bar_chart';
export * from './stacked_bar_chart';
export * from './line_chart';
export * from './heatmap_chart';
export * from './measured_vs_simulated_chart';
