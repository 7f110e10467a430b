import { Controller, Get, Injectable } from '@nestjs/common';
import { IsInt, IsNumber } from 'class-validator';
import { Any, Arg, dictOf, FileData, GradioApi, Int, literal, nullable, tupleOf, unionOf } from 'nest-gradio';

class Point {
  @IsInt()
  x!: number;

  @IsNumber()
  y!: number;
}

/** One endpoint per kind of parameter type, to check that every surface describes and accepts each. */
@Injectable()
export class TypeProbe {
  @GradioApi({ name: 'scalars', description: 'Scalar types.', returns: Boolean })
  scalars(s: string, i: Int, f: number, b: boolean, @Arg({ description: 'Anything JSON.' }) any: Any): boolean {
    return [s, i, f, b, any].length === 5;
  }

  @GradioApi({ name: 'collections', returns: Int })
  collections(
    list: unknown[],
    @Arg({ type: [String] }) strings: string[],
    @Arg({ type: tupleOf(Int, String) }) pair: [number, string],
    @Arg({ type: dictOf(Any) }) dict: Record<string, unknown>,
    @Arg({ type: dictOf(Int) }) counts: Record<string, number>,
    point: Point,
  ): number {
    return [list, strings, pair, dict, counts, point].length;
  }

  @GradioApi({ name: 'choices', returns: String })
  choices(
    @Arg({ type: literal('x') }) constant: 'x',
    @Arg({ type: literal('a', 'b') }) choice: 'a' | 'b',
    @Arg({ type: literal(1, 2) }) numbers: 1 | 2,
    @Arg({ type: nullable(String) }) maybe: string | null,
    @Arg({ type: unionOf(Int, String) }) either: number | string,
    @Arg({ type: unionOf(Int, String, { type: 'null' }) }) eitherOrNone: number | string | null,
  ): string {
    return JSON.stringify([constant, choice, numbers, maybe, either, eitherOrNone]);
  }

  @GradioApi({ name: 'raw_schemas', returns: Int })
  rawSchemas(
    @Arg({ type: { type: 'integer', exclusiveMinimum: 0, maximum: 10 } }) positive: number,
    @Arg({ type: { type: ['string', 'null'] } }) text: string | null,
    @Arg({ type: { $defs: { Name: { type: 'string', minLength: 5 } }, $ref: '#/$defs/Name' } }) name: string,
  ): number {
    return positive + (text?.length ?? 0) + name.length;
  }

  @GradioApi({ name: 'defaults', description: 'Optional parameters.', returns: String })
  defaults(
    x: number = 1.5,
    @Arg({ type: nullable(String) }) y: string | null = null,
    z: boolean = false,
    @Arg({ type: literal('a', 'b'), description: 'A choice.' }) w: string = 'a',
  ): string {
    return JSON.stringify([x, y, z, w]);
  }

  @GradioApi({ name: 'no_parameters', returns: String })
  noParameters(): string {
    return 'none';
  }

  @GradioApi({ name: 'file_in', returns: Int })
  fileIn(file: FileData): number {
    return file.path.length;
  }

  @GradioApi({ name: 'hidden', apiVisibility: 'undocumented' })
  hidden(): string {
    return 'hidden';
  }

  @GradioApi({ name: 'secret', apiVisibility: 'private' })
  secret(): string {
    return 'secret';
  }
}

/** An application route next to Gradio's, which the Swagger UI must document too. */
@Controller('users')
export class UsersController {
  @Get()
  list(): { name: string }[] {
    return [{ name: 'Ada' }];
  }
}
