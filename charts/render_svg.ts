import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec } from 'vega-lite';

/**
 * Renders a vega-lite spec to an SVG string, offline: no browser, no canvas, no bundled font
 * (vega's SVG renderer writes text as <text> elements, which every SVG viewer draws with its own fonts).
 *
 * Edge code (charts/): it is the only place the project turns numbers into pictures.
 * Data must be inline (`data.values`); loading a file or URL is refused, so a chart is a pure
 * function of its spec.
 *
 * @throws Error starting with "render_svg:" when vega-lite cannot compile the spec, or when vega
 *   reports an error while evaluating it (e.g. a refused data load).
 */
export async function render_svg(spec: TopLevelSpec): Promise<string> {
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(spec).spec;
  } catch (e) {
    throw new Error(`render_svg: vega-lite could not compile the spec: ${(e as Error).message}`);
  }
  const urls = data_urls(compiled);
  if (urls.length > 0) {
    throw new Error(`render_svg: charts take inline data only (data.values); refused to load ${urls.map((u) => `"${u}"`).join(', ')}`);
  }
  const errors: string[] = [];
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    loader: offline_loader(),
    logger: collecting_logger(errors),
  });
  try {
    const svg = await view.toSVG();
    if (errors.length > 0) throw new Error(`render_svg: vega reported: ${errors.join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/** Every `url` of a data source in a compiled vega spec (vega loads them asynchronously and only warns on failure). */
function data_urls(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(data_urls);
  if (node === null || typeof node !== 'object') return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'data' && Array.isArray(value)) {
      for (const d of value) if (d && typeof d === 'object' && 'url' in d) found.push(String((d as { url: unknown }).url));
    }
    found.push(...data_urls(value));
  }
  return found;
}

/** A vega loader that refuses every file/URL load, so rendering never touches disk or network. */
function offline_loader(): vega.Loader {
  const refuse = (uri: string): Promise<never> =>
    Promise.reject(new Error(`charts take inline data only (data.values); refused to load "${uri}"`));
  return { ...vega.loader(), load: refuse, sanitize: refuse, http: refuse, file: refuse } as vega.Loader;
}

/** A vega logger that keeps errors (to throw them) and drops warnings/info/debug output. */
function collecting_logger(errors: string[]): vega.LoggerInterface {
  const text = (args: readonly unknown[]): string =>
    args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const logger: vega.LoggerInterface = {
    level(_?: number) {
      return (_ === undefined ? vega.Error : logger) as never;
    },
    error(...args: readonly unknown[]) {
      errors.push(text(args));
      return logger;
    },
    warn() {
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  } as vega.LoggerInterface;
  return logger;
}
