import { hostname } from 'node:os';
import { resolveDistributedOptions } from './distributed-options.js';
import { resolveGradioOptions } from './gradio-options.js';

describe('resolveDistributedOptions', () => {
  it('is off without the option and without GRADIO_REDIS_URL', () => {
    expect(resolveDistributedOptions(undefined, undefined, {})).toBeNull();
    expect(resolveDistributedOptions(undefined, undefined, { GRADIO_REDIS_URL: '' })).toBeNull();
  });

  it('takes the URL from GRADIO_REDIS_URL, with the defaults', () => {
    expect(resolveDistributedOptions(undefined, undefined, { GRADIO_REDIS_URL: 'redis://cache:6380/2' })).toEqual({
      connection: 'redis://cache:6380/2',
      displayName: 'redis://cache:6380/2',
      prefix: 'nest-gradio',
      stalledTimeout: 30_000,
      sessionTtl: 3600,
      processName: `${hostname()}:${process.pid}`,
      runJobs: true,
    });
  });

  it('makes a front process that runs no jobs from the option, else GRADIO_RUN_JOBS=false', () => {
    expect(resolveDistributedOptions('redis://db', { runJobs: false }, { GRADIO_RUN_JOBS: 'true' })?.runJobs).toBe(
      false,
    );
    expect(resolveDistributedOptions('redis://db', undefined, { GRADIO_RUN_JOBS: 'FALSE' })?.runJobs).toBe(false);
    expect(resolveDistributedOptions('redis://db', undefined, { GRADIO_RUN_JOBS: 'yes' })?.runJobs).toBe(true);
  });

  it('names the process for its metrics from the option, else GRADIO_PROCESS_NAME', () => {
    expect(resolveDistributedOptions('redis://db', { processName: 'web-1' }, {})?.processName).toBe('web-1');
    expect(resolveDistributedOptions('redis://db', undefined, { GRADIO_PROCESS_NAME: 'web-2' })?.processName).toBe(
      'web-2',
    );
  });

  it('prefers the option to the environment, and hides a password in messages', () => {
    const resolved = resolveDistributedOptions(
      'redis://:secret@db:6379',
      { prefix: 'shop', stalledTimeout: 5000 },
      { GRADIO_REDIS_URL: 'redis://other:6379', GRADIO_REDIS_PREFIX: 'ignored' },
    );
    expect(resolved).toMatchObject({ connection: 'redis://:secret@db:6379', prefix: 'shop', stalledTimeout: 5000 });
    expect(resolved?.displayName).not.toContain('secret');
  });

  it('reads the prefix and the stalled timeout from the environment', () => {
    expect(
      resolveDistributedOptions('redis://db', undefined, {
        GRADIO_REDIS_PREFIX: 'blue',
        GRADIO_REDIS_STALLED_TIMEOUT: '1500',
      }),
    ).toMatchObject({ prefix: 'blue', stalledTimeout: 1500 });
  });

  it('accepts ioredis options and names host and port in messages', () => {
    expect(resolveDistributedOptions({ host: 'db', port: 7000 }, undefined, {})?.displayName).toBe('redis://db:7000');
  });

  it('refuses what cannot work, naming the option', () => {
    expect(() => resolveDistributedOptions('localhost:6379', undefined, {})).toThrow(
      /option redis must be a redis:\/\//,
    );
    expect(() => resolveDistributedOptions('http://db', undefined, {})).toThrow(/option redis must be a redis:\/\//);
    expect(() => resolveDistributedOptions('redis://db', { prefix: 'a:b' }, {})).toThrow(/distributed\.prefix/);
    expect(() => resolveDistributedOptions('redis://db', { stalledTimeout: 0 }, {})).toThrow(
      /distributed\.stalledTimeout must be a positive number/,
    );
    expect(() => resolveDistributedOptions('redis://db', undefined, { GRADIO_REDIS_STALLED_TIMEOUT: 'soon' })).toThrow(
      /distributed\.stalledTimeout/,
    );
  });
});

describe('resolveGradioOptions in distributed mode', () => {
  it('takes the deployment-wide maxThreads from the option, else GRADIO_MAX_THREADS, else 40', () => {
    expect(resolveGradioOptions({ maxThreads: 3 }, { GRADIO_MAX_THREADS: '8' }).maxThreads).toBe(3);
    expect(resolveGradioOptions({}, { GRADIO_MAX_THREADS: '8' }).maxThreads).toBe(8);
    expect(resolveGradioOptions({}, {}).maxThreads).toBe(40);
    expect(() => resolveGradioOptions({}, { GRADIO_MAX_THREADS: 'many' })).toThrow('GRADIO_MAX_THREADS');
  });

  it('gives every process of one prefix the same app id, and another prefix another', () => {
    const blue = resolveGradioOptions({ redis: 'redis://db', distributed: { prefix: 'blue' } }, {});
    const blueAgain = resolveGradioOptions({}, { GRADIO_REDIS_URL: 'redis://other', GRADIO_REDIS_PREFIX: 'blue' });
    const green = resolveGradioOptions({ redis: 'redis://db', distributed: { prefix: 'green' } }, {});
    expect(blue.appId).toBe(blueAgain.appId);
    expect(green.appId).not.toBe(blue.appId);
    expect(Number.isSafeInteger(blue.appId)).toBe(true);
    expect(resolveGradioOptions({ redis: 'redis://db', appId: 7 }, {}).appId).toBe(7);
  });
});
