import { Injectable } from '@nestjs/common';
import { FileData, GradioApi, Int, McpTool, type Any } from 'nest-gradio';

enum Color {
  Red = 'red',
  Green = 'green',
}

interface Point {
  x: number;
  y: Int;
}

/**
 * One endpoint per family of TypeScript types, declared by the signature alone (no `@Arg`, no `returns`): the
 * compiler plugin records what the types say. test/parity/type_probes_server.py is its Python twin, written with the
 * equivalent type hints; keep the two identical.
 */
@Injectable()
export class TypeProbes {
  @McpTool()
  @GradioApi({ name: 'scalars' })
  scalars(s: string, i: Int, f: number, b: boolean, anything: Any): boolean {
    return [s, i, f, b, anything].length === 5;
  }

  @GradioApi({ name: 'collections' })
  collections(strings: string[], ints: Int[], pair: [Int, string], counts: Record<string, Int>, grid: number[][]): Int {
    return strings.length + ints.length + pair.length + Object.keys(counts).length + grid.length;
  }

  @McpTool()
  @GradioApi({ name: 'choices' })
  choices(mode: 'fast' | 'slow', level: 1 | 2 | 3, color: Color, maybe: string | null, either: Int | string): string {
    return [mode, level, color, maybe, either].join(',');
  }

  @GradioApi({ name: 'defaults' })
  defaults(
    text: string,
    count: Int = 3,
    ratio = 0.5,
    flag = false,
    label = 'x',
    note: string | null = null,
    tags: string[] = ['a'],
  ): string {
    return JSON.stringify([text, count, ratio, flag, label, note, tags]);
  }

  @McpTool()
  @GradioApi({ name: 'objects' })
  objects(point: Point, points: Point[]): Point {
    return { x: point.x + points.length, y: point.y };
  }

  @GradioApi({ name: 'files' })
  files(file: FileData, many: FileData[]): FileData {
    return many[0] ?? file;
  }

  @McpTool()
  @GradioApi({ name: 'outputs' })
  outputs(n: Int): [Int, string[], string | null] {
    return [n, Array.from({ length: n }, (_, index) => String(index)), n > 1 ? 'many' : null];
  }

  @GradioApi({ name: 'stream' })
  async *stream(n: Int): AsyncGenerator<Int> {
    for (let i = 1; i <= n; i++) yield i;
  }
}
