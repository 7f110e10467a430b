import { Module } from '@nestjs/common';
import { GradioModule } from 'nest-gradio';
import { HelloService } from './hello.service.js';

/** No controllers of its own: `GET /` falls through to the library's API page. */
@Module({
  imports: [GradioModule.forRoot({ title: 'Hello' })],
  providers: [HelloService],
})
export class AppModule {}
