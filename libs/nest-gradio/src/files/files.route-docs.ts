import {
  DETAIL,
  detailResponse,
  eventStreamOf,
  jsonOf,
  type OpenApiObject,
  parameter,
  textOf,
} from '../http/route-doc.js';

// The operations of the file routes, in both OpenAPI documents (see `DocumentedRoute`).

/** `POST /gradio_api/upload`, as Gradio's own document has it (with its operation id), and what it answers. */
export const UPLOAD_DOC: OpenApiObject = {
  summary: 'Upload files',
  description:
    'Stores the files for later calls and answers their server paths. Pass a path to an endpoint as ' +
    '`{"path": "<path>", "meta": {"_type": "gradio.FileData"}}`.',
  operationId: 'upload_file_upload_post',
  parameters: [
    {
      name: 'upload_id',
      in: 'query',
      required: false,
      schema: { type: 'string', nullable: true, default: null },
      description: 'Optional id under which the upload progress can be followed',
    },
  ],
  requestBody: {
    required: true,
    content: {
      'multipart/form-data': {
        schema: {
          type: 'object',
          // Not required: like Gradio, a body without files answers an empty list.
          properties: {
            files: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'The files to upload' },
          },
          additionalProperties: false,
        },
      },
    },
  },
  responses: {
    '200': {
      description: 'The server path of each uploaded file, in order',
      content: jsonOf({ type: 'array', items: { type: 'string' } }),
    },
    // As Gradio answers: a JSON detail for a body that is not multipart or names a file badly, text otherwise.
    '400': {
      description:
        'Not a multipart body, a part other than files, an invalid file name, or an interrupted or malformed upload',
      content: { ...jsonOf(DETAIL), ...textOf() },
    },
    '408': { description: 'The upload stalled or did not finish in time', content: textOf() },
    '413': { description: 'A file or the headers exceed the size limit', content: textOf() },
  },
};

export const UPLOAD_PROGRESS_DOC: OpenApiObject = {
  summary: 'Follow an upload',
  description:
    'Server-sent events about the upload `upload_id` (`POST /gradio_api/upload?upload_id=…`): `update` messages ' +
    'with `orig_name` and `chunk_size`, `heartbeat` while idle, then `done`. Waits up to 3 s for the upload to ' +
    'start, as a client may ask before it sends the files.',
  parameters: [parameter('upload_id', 'query', 'The id the upload was sent with')],
  responses: {
    '200': {
      description: 'The progress messages, one JSON object per `data:` line',
      content: eventStreamOf({ type: 'object', properties: { data: { type: 'string' } }, required: ['data'] }),
    },
    '404': { description: 'No upload with this id started within 3 s', content: textOf() },
  },
};

const FILE_ANSWERS: OpenApiObject = {
  '200': {
    description: 'The file, with its own type (types outside a safe list as an `application/octet-stream` attachment)',
    content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
  },
  '206': {
    description: 'The part of the file a `Range` header asked for',
    content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
  },
  '403': detailResponse(
    'Not a file that may be served: outside the allowed and upload paths, blocked, missing, a folder, or a URL ' +
      'that is not public. Never 404, so that the answer does not tell whether a path exists',
  ),
  '416': { description: 'The `Range` header asks for bytes past the end of the file' },
  '502': detailResponse('The URL could not be fetched'),
  default: { description: 'For an http(s) URL: the status the server of the URL answered, with its body' },
};

export const FILE_DOC: OpenApiObject = {
  summary: 'A file, or a URL fetched by the server',
  description:
    'Serves an uploaded or produced file, or a file under the allowed paths; an http(s) URL is fetched by the ' +
    'server from public addresses only.',
  parameters: [parameter('path', 'path', 'The path of the file, or an http(s) URL')],
  responses: FILE_ANSWERS,
};

export const NO_FILE_DOC: OpenApiObject = {
  summary: 'A file with an empty path (refused)',
  responses: { '403': detailResponse('An empty path names no file that may be served') },
};

export const DEPRECATED_FILE_DOC: OpenApiObject = {
  ...FILE_DOC,
  summary: 'A file (the older form of `file=`)',
  description:
    'As `GET /gradio_api/file={path}`; the path is relative to the working directory unless it starts with `/`.',
  deprecated: true,
};
