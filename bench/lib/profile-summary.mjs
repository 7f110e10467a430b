// Reads a V8 CPU profile (the `.cpuprofile` JSON of `node --cpu-prof` or the inspector's Profiler.stop) and says
// where the time went: self time per function and per package, and inclusive time per function.

/** Where a frame's code lives: a package, Node's internals, the library, the app, or V8's pseudo-frames. */
export function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (internals)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.includes('/libs/nest-gradio/')) return 'nest-gradio (library)';
  if (url.includes('/dist/src/') || url.includes('/src/')) return 'showcase (app)';
  return url;
}

function shortUrl(url) {
  if (!url) return '';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const libs = url.indexOf('/libs/');
  if (libs >= 0) return url.slice(libs + 1);
  return url.replace(/^file:\/\/\/work\/main\//, '');
}

/**
 * Summarises a profile. Returns total sampled ms, the idle share, the top functions by self time and by inclusive
 * time, and self time per package, each with its percentage of the busy (non-idle) time.
 */
export function summarizeProfile(profile, { top = 25 } = {}) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map();
  let totalUs = 0;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    totalUs += delta;
    selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + delta);
  });
  const keyOf = (node) => {
    const frame = node.callFrame;
    return `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
  };
  const idleUs = [...selfUs].reduce(
    (sum, [id, us]) => (nodes.get(id).callFrame.functionName === '(idle)' ? sum + us : sum),
    0,
  );
  const busyUs = totalUs - idleUs;
  const byFunction = new Map();
  const byPackage = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const node = nodes.get(id);
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') continue;
    const key = keyOf(node);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    // Inclusive: each function on the sample's stack once (recursion counted once).
    const seen = new Set();
    for (let current = id; current !== undefined; current = parent.get(current)) {
      const stackKey = keyOf(nodes.get(current));
      if (seen.has(stackKey)) continue;
      seen.add(stackKey);
      inclusive.set(stackKey, (inclusive.get(stackKey) ?? 0) + us);
    }
  }
  const rank = (map) =>
    [...map]
      .sort((left, right) => right[1] - left[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Number((us / 1000).toFixed(1)),
        percent: Number(((us / busyUs) * 100).toFixed(1)),
      }));
  return {
    sampledMs: Number((totalUs / 1000).toFixed(1)),
    idlePercent: Number(((idleUs / totalUs) * 100).toFixed(1)),
    busyMs: Number((busyUs / 1000).toFixed(1)),
    selfByFunction: rank(byFunction),
    selfByPackage: rank(byPackage),
    inclusiveByFunction: rank(new Map([...inclusive].filter(([name]) => !name.startsWith('(root)')))),
  };
}
