import { Injectable } from '@nestjs/common';
import { GradioApi } from 'nest-gradio';

@Injectable()
export class HelloService {
  /** The seed's minimal example: the parameter name `name` comes from the method signature. */
  @GradioApi({ name: 'hello', description: 'Say hello to someone.' })
  hello(name: string): string {
    return `Hello, ${name}!`;
  }
}
