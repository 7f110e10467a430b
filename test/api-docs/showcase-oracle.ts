/**
 * What each showcase endpoint answers, from its specification (the README's showcase table), not from the server: the
 * expected result of a call with the given named arguments. `outputs` lists every output (the final value for a
 * streaming endpoint); `error` is the message of a user-facing error; `file` is the content and name of the one
 * file an endpoint returns. A file argument is the snippets' example file, whose bytes are `EXAMPLE_FILE`.
 */
export type Expectation = { outputs: unknown[] } | { error: string } | { file: { name: string; bytes: Buffer } };

type Args = Record<string, unknown>;

/** What the snippets' example file (`path/to/file.txt`, relative to where they run) holds in the tests. */
export const EXAMPLE_FILE = { path: 'path/to/file.txt', bytes: Buffer.from('nest-gradio: héllo, files!\n', 'utf8') };

export const SHOWCASE_ORACLE: Record<string, (args: Args) => Expectation> = {
  hello: ({ name }) => ({ outputs: [`Hello, ${String(name)}!`] }),
  add: ({ a, b }) => ({ outputs: [(a as number) + (b as number)] }),
  multiply: ({ a, b }) => ({ outputs: [(a as number) * (b as number)] }),
  add_and_slice: ({ a, b, c }) => ({
    outputs: [(a as number) + (b as number), (c as string[]).slice(a as number, b as number)],
  }),
  echo_json: ({ value }) => ({ outputs: [value] }),
  count: ({ n }) => ({ outputs: [n] }),
  spell: ({ text }) => ({ outputs: [text] }),
  slow_echo: ({ text }) => ({ outputs: [text] }),
  fail: ({ message }) => ({ error: String(message) }),
  reverse_file: () => ({ file: { name: 'file.txt', bytes: Buffer.from(EXAMPLE_FILE.bytes).reverse() } }),
  file_size: () => ({ outputs: [EXAMPLE_FILE.bytes.length] }),
};
