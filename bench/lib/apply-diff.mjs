// The clients' `apply_diff` (gradio_client/utils.py, @gradio/client's stream.ts): rebuilds a generator's value from
// the edit lists of `process_generating` messages. Written here rather than imported from the library, so that the
// load generator checks nest-gradio's diffs with the clients' rules instead of its own (and runs before any build).

/** Applies Gradio's edits `[action, path, value]` to a copy of `value`. */
export function applyDiff(value, edits) {
  let result = structuredClone(value);
  for (const [action, path, editValue] of edits) {
    if (path.length === 0) {
      if (action === 'replace') result = structuredClone(editValue);
      else if (action === 'append') result = result + editValue;
      else throw new Error(`unsupported edit at the root: ${action}`);
      continue;
    }
    let parent = result;
    for (const key of path.slice(0, -1)) parent = parent[key];
    const key = path[path.length - 1];
    if (action === 'replace') parent[key] = structuredClone(editValue);
    else if (action === 'append') parent[key] = parent[key] + editValue;
    else if (action === 'add' && Array.isArray(parent)) parent.splice(key, 0, structuredClone(editValue));
    else if (action === 'add') parent[key] = structuredClone(editValue);
    else if (action === 'delete' && Array.isArray(parent)) parent.splice(key, 1);
    else if (action === 'delete') delete parent[key];
    else throw new Error(`unsupported edit: ${action}`);
  }
  return result;
}
