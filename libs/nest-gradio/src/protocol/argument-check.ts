import type { Endpoint } from '../discovery/endpoint.interface.js';
import { invalidArgumentMessage, invalidFileMessage, missingArgumentMessage } from '../kernel/gradio.messages.js';
import { filePlanOf } from '../files/file-plan.js';
import { FILE_INPUT_SCHEMA, isFileDataSchema, notAFileProblem } from '../files/file-data.js';
import { compileSchemaCheck } from '../schema/schema.validator.js';
import { httpDetail } from '../http/http-detail.js';

const checkFileInput = compileSchemaCheck(FILE_INPUT_SCHEMA);

/**
 * Refuses (422) a value that does not match its parameter's schema before anything is queued, so that a curl user
 * learns it from the POST rather than from an `error` event of the stream (Gradio queues it and fails the event),
 * and a direct `run/` call gets 422 for its input rather than the 500 of a failed handler.
 * A file parameter is checked against what requests may send for a file; other parameters that can hold files
 * (lists of files, any JSON) are left to the queue, which turns their values into files before checking them.
 * The queue checks every value again (and class-validator DTOs), so this is only the early, cheap part.
 */
export function refuseInvalidArguments(endpoint: Endpoint, data: readonly unknown[]): void {
  const fileInputs = filePlanOf(endpoint).inputs;
  for (const parameter of endpoint.parameters) {
    const value = data[parameter.position];
    if (value === undefined) continue;
    // The queue reads null as "use the default" where the schema does not take null.
    if (value === null && parameter.hasDefault) continue;
    if (isFileDataSchema(parameter.schema)) {
      if (checkFileInput(value, parameter.name) === undefined) continue;
      throw httpDetail(422, invalidFileMessage(endpoint.apiName, notAFileProblem(parameter.name)));
    }
    if (fileInputs?.[parameter.position]) continue;
    const problem = parameter.check(value, parameter.name);
    if (problem !== undefined) throw httpDetail(422, invalidArgumentMessage(problem, endpoint.apiName));
  }
}

/** Refuses (422) data without a value for a parameter that has no default (`run/`, which answers at once). */
export function refuseMissingArguments(endpoint: Endpoint, data: readonly unknown[]): void {
  const missing = endpoint.parameters.find(
    (parameter) => data[parameter.position] === undefined && !parameter.hasDefault,
  );
  if (missing) throw httpDetail(422, missingArgumentMessage(missing.name, endpoint.apiName));
}
