import { InputError } from '../model/schema/format_zod_error';

/** One step of a parameter path: an object key, an array index, or an array element chosen by its `name`. */
export type PathStep = { key: string } | { index: number } | { name: string };

/**
 * Parses `groups[0].writer.program.size_bytes`, `groups[ws].count` (the group named ws) or
 * `kernel.sysctls["net.ipv4.tcp_rmem"]` into steps. Throws an InputError naming `where`.
 */
export function parse_param_path(path: string, where: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new InputError(`${where}: "${path}" is not a parameter path (${why}); write e.g. groups[0].count, groups[ws].writer.program.size_bytes, kernel.sysctls["net.ipv4.tcp_rmem"] or profile`);
  };
  while (i < path.length) {
    if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) fail('unclosed [');
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^"[^"]+"$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else if (/^[a-z0-9][a-z0-9_-]*$/.test(inner)) steps.push({ name: inner });
      else fail(`bad bracket [${inner}]`);
      i = close + 1;
      if (i < path.length && path[i] === '.') i++;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(i));
    if (!m) fail(`unexpected "${path[i]}" at position ${i}`);
    steps.push({ key: m![0] });
    i += m![0].length;
    if (i < path.length) {
      if (path[i] === '.') {
        i++;
        if (i >= path.length) fail('ends with "."');
      } else if (path[i] !== '[') fail(`unexpected "${path[i]}" at position ${i}`);
    }
  }
  if (steps.length === 0) fail('empty');
  return steps;
}

/**
 * Returns a copy of `root` with the value at `path` replaced (the last key may be new if its
 * parent object exists, so optional fields such as sockopts can be set). Throws an InputError
 * naming `where` and what exists when an intermediate step is missing.
 */
export function set_param(root: unknown, path: string, value: unknown, where: string): unknown {
  const steps = parse_param_path(path, where);
  const copy = structuredClone(root);
  let node: unknown = copy;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s];
    const last = s === steps.length - 1;
    const shown = describe_prefix(steps.slice(0, s + 1));
    if ('key' in step) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new InputError(`${where}: "${path}": ${describe_prefix(steps.slice(0, s))} is not an object`);
      const obj = node as Record<string, unknown>;
      if (last) {
        obj[step.key] = value;
      } else {
        if (!(step.key in obj)) throw new InputError(`${where}: "${path}": ${shown} does not exist; the fields there are: ${Object.keys(obj).join(', ')}`);
        node = obj[step.key];
      }
    } else {
      if (!Array.isArray(node)) throw new InputError(`${where}: "${path}": ${describe_prefix(steps.slice(0, s))} is not a list`);
      let idx: number;
      if ('index' in step) {
        idx = step.index;
        if (idx >= node.length) throw new InputError(`${where}: "${path}": ${shown} is out of range; the list has ${node.length} entries (0 to ${node.length - 1})`);
      } else {
        idx = node.findIndex((e) => e !== null && typeof e === 'object' && (e as { name?: unknown }).name === step.name);
        if (idx < 0) {
          const names = node.map((e) => (e as { name?: unknown }).name).filter((n) => typeof n === 'string');
          throw new InputError(`${where}: "${path}": no entry named "${step.name}"; the names are: ${names.join(', ')}`);
        }
      }
      if (last) node[idx] = value;
      else node = node[idx];
    }
  }
  return copy;
}

function describe_prefix(steps: PathStep[]): string {
  let out = '';
  for (const st of steps) {
    if ('key' in st) out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(st.key) ? (out === '' ? st.key : `.${st.key}`) : `["${st.key}"]`;
    else if ('index' in st) out += `[${st.index}]`;
    else out += `[${st.name}]`;
  }
  return out === '' ? '(top level)' : out;
}
