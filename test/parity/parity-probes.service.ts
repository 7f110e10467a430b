import { Injectable } from '@nestjs/common';
import { GradioApi } from 'nest-gradio';

/**
 * The three probes the Python mirror (showcase_server.py) defines after the showcase's endpoints, so that the
 * parity test also covers a failing endpoint with no parameters and the `undocumented` and `private`
 * visibilities. Keep them identical to the mirror's.
 */
@Injectable()
export class ParityProbes {
  @GradioApi({ name: 'boom', description: 'Raise a plain exception (hidden from clients unless show_error).' })
  boom(): string {
    throw new Error('secret');
  }

  @GradioApi({ name: 'undoc', description: 'An undocumented endpoint.', apiVisibility: 'undocumented' })
  undoc(text: string): string {
    return text;
  }

  @GradioApi({ name: 'priv', description: 'A private endpoint.', apiVisibility: 'private' })
  priv(text: string): string {
    return text;
  }
}
