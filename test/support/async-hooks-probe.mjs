// Preloaded into a server process (`node --import`) by test/production/async-hooks-off.e2e-spec.ts. Over the IPC
// channel it answers whether Node's async hooks are on in that process: with them, a promise's continuation runs in
// an async resource of its own (a non-zero id); without them, in none (0). Asked to, it turns them on itself (the
// first run() of an AsyncLocalStorage), so that the test sees the probe tell the difference.
import { AsyncLocalStorage, executionAsyncId } from 'node:async_hooks';

async function asyncHooksOn() {
  await null;
  return executionAsyncId() !== 0;
}

process.on('message', (message) => {
  if (message === 'turn async hooks on') new AsyncLocalStorage().run(true, () => undefined);
  if (message === 'turn async hooks on' || message === 'async hooks on?') {
    void asyncHooksOn().then((on) => process.send?.({ asyncHooksOn: on }));
  }
});
