import type { ZodError } from 'zod';

/**
 * Turns a zod error into one line per problem, each naming the field by its path
 * (`groups[0].writer.size_bytes`) and saying what is allowed. Used for every file
 * a user hands us: profiles, scenarios, sweeps, captures.
 */
export function format_zod_error(what: string, err: ZodError): string {
  const lines = err.issues.map((issue) => {
    const path = issue.path.length === 0 ? '(top level)' : render_path(issue.path);
    return `  - ${path}: ${issue.message}`;
  });
  return `${what} is invalid:\n${lines.join('\n')}`;
}

function render_path(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** An error whose message is already fit to print to a user. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
