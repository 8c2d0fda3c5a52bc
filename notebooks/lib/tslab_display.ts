/**
 * The subset of tslab's public display API the notebooks use (tslab/dist/public.d.ts).
 * Declared here so notebooks/lib compiles and runs without tslab's kernel.
 */
export interface TslabDisplay {
  html(s: string): void;
  markdown(s: string): void;
  svg(s: string): void;
  text(s: string): void;
}

interface TslabModule {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
}

/**
 * The running tslab kernel's display functions, or null outside a tslab kernel (plain node, vitest).
 * tslab's display throws "Not ready" until its kernel has connected; that is how we tell.
 */
export function tslab_or_null(): TslabModule | null {
  let mod: TslabModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('tslab') as TslabModule;
  } catch {
    return null;
  }
  return kernel_ready(mod) ? mod : null;
}

function kernel_ready(mod: TslabModule): boolean {
  // jupyter.lastWriteDisplayData is set when the kernel starts (tslab/dist/jupyter.js).
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData?: unknown };
    return jupyter.lastWriteDisplayData != null && typeof mod.display?.svg === 'function';
  } catch {
    return false;
  }
}
