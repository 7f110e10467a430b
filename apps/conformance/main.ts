import 'reflect-metadata';
import { launch } from 'nest-gradio';
import { AppModule } from './app.module.js';

await launch(AppModule);
