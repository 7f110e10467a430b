import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Injectable } from '@nestjs/common';
import { FileData, GradioApi, Int } from 'nest-gradio';

/** The file endpoints: a file in, a file (or its size) out. */
@Injectable()
export class FilesService {
  /** A new file with the bytes of `file` in reverse order, under the same name. */
  @GradioApi({ name: 'reverse_file', description: 'Reverse the bytes of a file.' })
  async reverseFile(file: FileData): Promise<FileData> {
    const bytes = await readFile(file.path);
    return FileData.fromBytes(bytes.reverse(), file.orig_name ?? basename(file.path));
  }

  @GradioApi({ name: 'file_size', description: 'Count the bytes of a file.' })
  async fileSize(file: FileData): Promise<Int> {
    return (await stat(file.path)).size;
  }
}
