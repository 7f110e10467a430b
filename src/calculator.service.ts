import { Injectable } from '@nestjs/common';
import { GradioApi, Int, McpTool, type Any } from 'nest-gradio';

@Injectable()
export class CalculatorService {
  @McpTool()
  @GradioApi({ name: 'add', description: 'Add two numbers together.' })
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @McpTool()
  @GradioApi({ name: 'multiply', description: 'Multiply two numbers together.' })
  multiply(a: Int, b: Int): Int {
    return a * b;
  }

  /** Two outputs: the sum, and the items of `c` from index `a` up to `b`. */
  @GradioApi({ name: 'add_and_slice', description: 'Add and slice.' })
  addAndSlice(a: Int, b: Int, c: string[]): [Int, string[]] {
    return [a + b, c.slice(a, b)];
  }

  /** Returns any JSON value unchanged. */
  @GradioApi({ name: 'echo_json', description: 'Return the JSON value unchanged.' })
  echoJson(value: Any): Any {
    return value;
  }
}
