import { Injectable } from '@nestjs/common';
import { GradioApi, McpTool } from 'nest-gradio';

@Injectable()
export class GreeterService {
  /** The seed's minimal example. */
  @McpTool()
  @GradioApi({ name: 'hello', description: 'Say hello to someone.' })
  hello(name: string): string {
    return `Hello, ${name}!`;
  }
}
