import type { ClassLocation } from './declaration.resolver.js';

/** A JSON value of the recorded metadata, in which a class may appear by reference. */
export type RecordedValue = string | number | boolean | null | RecordedValue[] | RecordedSchema | ClassReference;

/** A JSON-Schema-like description of a type; `{ $class: () => C }` once emitted, for a class the run time resolves. */
export interface RecordedSchema {
  [keyword: string]: RecordedValue;
}

/** A class the emitted code refers to (a validated DTO, `FileData`), so that the run time handles it as today. */
export class ClassReference {
  constructor(readonly location: ClassLocation) {}
}

/** What the plugin records for one parameter of a decorated method. */
export interface RecordedParameter {
  /** The identifier; absent for a destructured parameter. */
  name?: string;
  type?: RecordedSchema;
  /** `x?: T`, `x: T | undefined` or a default: callers may leave it out. */
  optional?: boolean;
  /** The default, when it is written as a JSON literal. */
  default?: RecordedValue;
  description?: string;
}

/** What the plugin records for one decorated method. */
export interface RecordedMethod {
  parameters: RecordedParameter[];
  /** The output types: one for a plain return type, several for a tuple; absent when the type is not known. */
  outputs?: RecordedSchema[];
  /** The method returns a stream (generator, async iterable, Observable); `outputs` then describe its items. */
  stream?: boolean;
  description?: string;
  deprecated?: string | true;
}
