/**
 * Checks one of our `code_snippets` against Gradio's for the same endpoint: the template must be Gradio's to the
 * byte, except (1) where Gradio writes its placeholder `...` for a value (raw in Python, JavaScript and cURL —
 * Python's Ellipsis, invalid JSON — and `"..."` in the CLI payload), where ours may hold any valid literal;
 * (2) the cURL pipeline's last line, which we group as `| { read EVENT_ID; curl …; }` so that it works in bash;
 * (3) for file parameters, the `handle_file` import and the upload step that our file examples need.
 * Returns what is wrong, or nothing.
 */
export function snippetProblems(
  language: string,
  ours: string,
  gradio: string,
  parameterNames: readonly string[],
): string[] {
  let expected = gradio;
  let actual = ours;
  if (language === 'bash') {
    expected = expected.replace(/\| read EVENT_ID; (curl -N \S+)$/, '| { read EVENT_ID; $1; }');
    // Our file examples upload first (like Gradio's snippets for its file components).
    if (actual.includes(`'$FILE_PATH'`))
      actual = actual.replace(
        /^FILE_PATH=\$\(curl -s -X POST \S+\/gradio_api\/upload -F '[^']+' \| tr -d '\[\]" '\)\n\n/,
        '',
      );
  }
  if (actual.includes('handle_file(')) {
    if (language === 'python')
      expected = expected.replace(
        /^from gradio_client import Client\n/,
        'from gradio_client import Client, handle_file\n',
      );
    if (language === 'javascript')
      expected = expected.replace(/^import \{ Client \} from/, 'import { Client, handle_file } from');
  }
  const SLOT = '\u0000';
  for (const name of parameterNames) {
    const [placeholder, slot] = {
      python: [`\t${name}=...,`, `\t${name}=${SLOT},`],
      javascript: [`\t\t${name}: ...,`, `\t\t${name}: ${SLOT},`],
      bash: [`"${name}": ...`, `"${name}": ${SLOT}`],
      cli: [`"${name}": "..."`, `"${name}": ${SLOT}`],
    }[language] ?? ['', ''];
    if (placeholder) expected = expected.replace(placeholder, slot);
  }
  const pattern = new RegExp(`^${expected.split(SLOT).map(escapeRegExp).join('([\\s\\S]+?)')}$`);
  const match = pattern.exec(actual);
  if (!match)
    return [
      `the template differs from Gradio's:\n--- ours\n${ours}\n--- Gradio (placeholders as ⟨…⟩)\n${expected.replaceAll(SLOT, '⟨…⟩')}`,
    ];
  return match
    .slice(1)
    .flatMap((value) =>
      isValidLiteral(language, value) ? [] : [`${JSON.stringify(value)} is not a valid ${language} value`],
    );
}

function isValidLiteral(language: string, value: string): boolean {
  let json = value;
  if (/^handle_file\((['"])[^'"]+\1\)$/.test(value)) return language === 'python' || language === 'javascript';
  if (language === 'python')
    json = value
      .replace(/\bNone\b/g, 'null')
      .replace(/\bTrue\b/g, 'true')
      .replace(/\bFalse\b/g, 'false');
  if (language === 'bash') json = value.replaceAll(`'$FILE_PATH'`, 'uploaded');
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
