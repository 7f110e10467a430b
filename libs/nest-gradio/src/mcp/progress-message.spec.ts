import { estimation, HEARTBEAT, log, processStarts, progress } from '../wire/queue-messages.js';
import { progressMessageOf } from './progress-message.js';

describe('progressMessageOf (docs/mcp.md#progress)', () => {
  it('reports the queue position, counting from 1, with the ETA when known', () => {
    expect(progressMessageOf(estimation('e', 0, 1, null))).toBe('In queue. Position 1 out of 1.');
    expect(progressMessageOf(estimation('e', 2, 3, 4.26))).toBe(
      'In queue. Position 3 out of 3. Estimated time remaining: 4.3 seconds.',
    );
  });

  it('says "Processing" when the job starts', () => {
    expect(progressMessageOf(processStarts('e', null))).toBe('Processing');
  });

  it('describes progress steps and fractions', () => {
    const step = { index: 3, length: 10, unit: 'steps', progress: null, desc: 'Echoing' };
    expect(progressMessageOf(progress('e', [step]))).toBe('Echoing: 3 of 10 steps');
    expect(progressMessageOf(progress('e', [{ ...step, length: null, desc: null }]))).toBe('Progress: 3 steps');
    expect(
      progressMessageOf(progress('e', [{ index: null, length: null, unit: null, progress: 0.5, desc: null }])),
    ).toBe('Progress: 50%');
  });

  it('passes alerts on with their title', () => {
    expect(progressMessageOf(log('e', 'Echoing "hi" in 1 s', 'info', 10, true, 'Info'))).toBe(
      'Info: Echoing "hi" in 1 s',
    );
  });

  it('ignores heartbeats', () => {
    expect(progressMessageOf(HEARTBEAT)).toBeNull();
  });
});
