import { Injectable } from '@nestjs/common';
import { GradioApi, Int } from 'nest-gradio';

@Injectable()
export class StreamingService {
  @GradioApi({ name: 'count', description: 'Count from 1 to n, one message per number.', concurrencyLimit: null })
  async *count(n: Int): AsyncGenerator<Int> {
    for (let i = 1; i <= n; i++) yield i;
  }

  /** Each step is a longer prefix, so the queue protocol sends it as a diff (an `append` edit). */
  @GradioApi({ name: 'spell', description: 'Spell a text out, one more letter per message.', concurrencyLimit: null })
  async *spell(text: string): AsyncGenerator<string> {
    const letters = [...text];
    for (let i = 1; i <= letters.length; i++) yield letters.slice(0, i).join('');
  }
}
