/**
 * The clients' `apply_diff`, ported line by line from the Python client (`gradio_client/utils.py::apply_diff`,
 * 2.7.2) with Python's strictness kept: where Python would raise (a string index into a list, a missing dict key on
 * delete, `+` between a string and a non-string), this throws too. The JS client's `apply_diff`
 * (`@gradio/client/src/utils/stream.ts`) performs the same edits. Used to check what the clients reconstruct from
 * the edit lists of `process_generating` messages.
 */
export type Edit = [string, (string | number)[], unknown];

export function applyDiff(value: unknown, diff: Edit[]): unknown {
  let result = structuredClone(value);
  for (const edit of diff) {
    if (!Array.isArray(edit) || edit.length !== 3) throw new Error(`Not an edit: ${JSON.stringify(edit)}`);
    const [action, path, editValue] = edit;
    result = applyEdit(result, path, action, structuredClone(editValue));
  }
  return result;
}

function applyEdit(target: unknown, path: (string | number)[], action: string, value: unknown): unknown {
  if (!Array.isArray(path)) throw new Error(`Edit path is not a list: ${JSON.stringify(path)}`);
  if (path.length === 0) {
    if (action === 'replace') return value;
    if (action === 'append') return concat(target, value);
    throw new Error(`Unsupported action: ${action}`);
  }
  let current = target;
  for (const key of path.slice(0, -1)) current = child(current, key);
  const last = path[path.length - 1] as string | number;
  switch (action) {
    case 'replace':
      setChild(current, last, value);
      break;
    case 'append':
      setChild(current, last, concat(child(current, last), value));
      break;
    case 'add':
      if (Array.isArray(current)) current.splice(insertIndex(current, intKey(last)), 0, value);
      else setChild(current, last, value);
      break;
    case 'delete':
      if (Array.isArray(current)) {
        const index = listIndex(current, intKey(last));
        current.splice(index, 1);
      } else {
        const object = dict(current);
        if (typeof last !== 'string' || !Object.prototype.hasOwnProperty.call(object, last)) {
          throw new Error(`KeyError: ${JSON.stringify(last)}`);
        }
        delete object[last];
      }
      break;
    default:
      throw new Error(`Unknown action: ${action}`);
  }
  return target;
}

function child(container: unknown, key: string | number): unknown {
  if (Array.isArray(container)) return container[listIndex(container, intKey(key))];
  const object = dict(container);
  if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(object, key)) {
    throw new Error(`KeyError: ${JSON.stringify(key)}`);
  }
  return object[key];
}

/** Python's `container[key] = value` (a dict key is created if missing; a list index must exist). */
function setChild(container: unknown, key: string | number, value: unknown): void {
  if (Array.isArray(container)) {
    container[listIndex(container, intKey(key))] = value;
    return;
  }
  const object = dict(container);
  if (typeof key !== 'string') throw new Error(`TypeError: a dict key must be a string, got ${JSON.stringify(key)}`);
  // defineProperty, not assignment: a key such as "__proto__" must become an own property, as in a Python dict.
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Python's `+`: str + str or list + list only. */
function concat(left: unknown, right: unknown): unknown {
  if (typeof left === 'string' && typeof right === 'string') return left + right;
  if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
  throw new Error(`TypeError: cannot append ${JSON.stringify(right)} to ${JSON.stringify(left)}`);
}

function intKey(key: string | number): number {
  if (typeof key !== 'number' || !Number.isInteger(key)) {
    throw new Error(`TypeError: list indices must be integers, got ${JSON.stringify(key)}`);
  }
  return key;
}

/** Python list indexing (negative indices count from the end); out of range raises. */
function listIndex(list: unknown[], index: number): number {
  const resolved = index < 0 ? list.length + index : index;
  if (resolved < 0 || resolved >= list.length)
    throw new Error(`IndexError: list index ${index} out of range (${list.length})`);
  return resolved;
}

/** Python's `list.insert` clamps the index into range. */
function insertIndex(list: unknown[], index: number): number {
  const resolved = index < 0 ? Math.max(0, list.length + index) : index;
  return Math.min(resolved, list.length);
}

function dict(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`TypeError: not a dict: ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}
