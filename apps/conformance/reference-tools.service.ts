import { Injectable } from '@nestjs/common';
import { Ctx, type EventContext, GradioError, McpContent, McpTool } from 'nest-gradio';
import { RED_PIXEL_PNG, SILENT_WAV } from './media.js';

/**
 * The tools the MCP conformance suite's server scenarios call, with the names and results its reference server
 * gives them (docs/mcp.md#conformance).
 */
@Injectable()
export class ReferenceToolsService {
  /** Returns a fixed text. */
  @McpTool()
  test_simple_text(): string {
    return 'This is a simple text response for testing.';
  }

  /** Returns a 1×1 PNG as image content. */
  @McpTool()
  test_image_content(): McpContent {
    return new McpContent({ type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' });
  }

  /** Returns a short WAV as audio content. */
  @McpTool()
  test_audio_content(): McpContent {
    return new McpContent({ type: 'audio', data: SILENT_WAV, mimeType: 'audio/wav' });
  }

  /** Returns an embedded text resource. */
  @McpTool()
  test_embedded_resource(): McpContent {
    return new McpContent({
      type: 'resource',
      resource: {
        uri: 'test://embedded-resource',
        mimeType: 'text/plain',
        text: 'This is an embedded resource content.',
      },
    });
  }

  /** Returns text, an image and an embedded resource. */
  @McpTool()
  test_multiple_content_types(): McpContent {
    return new McpContent(
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    );
  }

  /** Sends three info log messages while it runs. */
  @McpTool()
  async test_tool_with_logging(@Ctx() ctx: EventContext): Promise<string> {
    ctx.info('Tool execution started');
    await pause();
    ctx.info('Tool processing data');
    await pause();
    ctx.info('Tool execution completed');
    return 'Logging test completed.';
  }

  /** Always fails with a message the agent can read. */
  @McpTool()
  test_error_handling(): string {
    throw new GradioError('This tool intentionally returns an error for testing');
  }

  /** Reports progress in three steps. */
  @McpTool()
  async test_tool_with_progress(@Ctx() ctx: EventContext): Promise<string> {
    for (let step = 0; step <= 2; step += 1) {
      ctx.progress(step * 50, 100);
      await pause();
    }
    return 'Progress test completed.';
  }
}

/** Lets the queue deliver what the tool sent so far, as the suite's reference tools do with short delays. */
function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
