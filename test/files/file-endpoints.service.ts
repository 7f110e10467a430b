import { writeFile, mkdtemp } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Any, Arg, Ctx, FileData, GradioApi, listOf, type EventContext } from 'nest-gradio';

/** Endpoints that receive and return files in every way a handler may, for the files tests. */
@Injectable()
export class FileEndpoints {
  /** Returns a file in the way `kind` names. */
  @GradioApi({ name: 'produce', returns: FileData })
  async produce(kind: string): Promise<unknown> {
    switch (kind) {
      case 'buffer':
        return Buffer.from('from a buffer');
      case 'stream':
        return Readable.from([Buffer.from('from '), Buffer.from('a stream')]);
      case 'named-bytes':
        return FileData.fromBytes(Buffer.from('named bytes'), 'named.txt', 'text/plain');
      case 'temp-path':
        return writeTemp('temp.txt', 'from the temp folder');
      case 'temp-filedata':
        return new FileData({
          path: await writeTemp('data.txt', 'a FileData in the temp folder'),
          orig_name: 'shown.txt',
        });
      case 'cwd-file':
        return 'package.json';
      case 'cwd-dotfile':
        return '.gitignore';
      case 'outside':
        return '/etc/hostname';
      case 'web':
        return { path: 'ignored', url: 'https://example.com/file.png', meta: { _type: 'gradio.FileData' } };
      default:
        return null;
    }
  }

  /** What the handler sees of a file parameter. */
  @GradioApi({ name: 'inspect', returns: Any })
  async inspect(file: FileData, @Ctx() ctx: EventContext): Promise<Record<string, unknown>> {
    return {
      isFileData: file instanceof FileData,
      path: file.path,
      url: file.url,
      size: file.size,
      orig_name: file.orig_name,
      content: await readFile(file.path, 'utf8'),
      username: ctx.request.username,
      root: ctx.request.root,
    };
  }

  /** Files inside a list are files too. */
  @GradioApi({ name: 'concat', returns: String })
  async concat(@Arg({ type: listOf(FileData) }) files: FileData[]): Promise<string> {
    const texts = await Promise.all(files.map((file) => readFile(file.path, 'utf8')));
    return texts.join('+');
  }
}

async function writeTemp(name: string, content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'nest-gradio-output-')), name);
  await writeFile(path, content);
  return path;
}
