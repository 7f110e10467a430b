import { log, processStarts } from '../wire/queue-messages.js';
import { logMessageOf } from './log-message.js';

describe('logMessageOf (docs/mcp.md#logging)', () => {
  it('gives each alert its MCP level, success being notice', () => {
    expect(logMessageOf(log('e', 'Started.', 'info', 10, true, 'Info'), 'tool')).toEqual({
      level: 'info',
      logger: 'tool',
      data: 'Started.',
    });
    expect(logMessageOf(log('e', 'Careful.', 'warning', 10, true, 'Warning'), 'tool')?.level).toBe('warning');
    expect(logMessageOf(log('e', 'Done.', 'success', 10, true, 'Success'), 'tool')?.level).toBe('notice');
    expect(logMessageOf(log('e', 'Broke.', 'error', 10, true, 'Error'), 'tool')?.level).toBe('error');
  });

  it("puts an author's own title before the text", () => {
    expect(logMessageOf(log('e', 'cold start', 'info', null, false, 'Cache'), 'tool')?.data).toBe('Cache: cold start');
  });

  it('ignores messages that are not alerts', () => {
    expect(logMessageOf(processStarts('e', null), 'tool')).toBeNull();
  });
});
