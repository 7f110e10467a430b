import { Injectable } from '@nestjs/common';
import { GradioApi, GradioError, Int, McpTool } from 'nest-gradio';

@Injectable()
export class CalculatorService {
  @GradioApi({ description: 'Add two numbers.' })
  @McpTool()
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @GradioApi()
  divide(a: number, b: number): number {
    if (b === 0) throw new GradioError('Cannot divide by zero.');
    return a / b;
  }
}
