import { Injectable } from '@nestjs/common';
import { GradioApi, Int } from 'nest-gradio';

/** The seed's complete example: two integer endpoints, called from the page at `/`. */
@Injectable()
export class CalculatorService {
  @GradioApi({ name: 'add', description: 'Add two numbers together.' })
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @GradioApi({ name: 'multiply', description: 'Multiply two numbers together.' })
  multiply(a: Int, b: Int): Int {
    return a * b;
  }
}
