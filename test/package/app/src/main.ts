import { launch } from 'nest-gradio';
import { AppModule } from './app.module.js';

await launch(AppModule); // * Running on local URL:  http://127.0.0.1:7860
