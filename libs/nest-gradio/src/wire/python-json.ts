/**
 * Serialises a value exactly as Python's `json.dumps` does with its defaults: `", "` and `": "` separators,
 * non-ASCII escaped as `\uXXXX` (`ensure_ascii`), floats in Python's `repr` style. Gradio writes the curl-protocol
 * stream (`/gradio_api/call/…`) this way, and its tests compare those lines byte for byte.
 */
export function pythonJsonDumps(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return pythonNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return 'null';
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return pythonJsonDumps((value as { toJSON: () => unknown }).toJSON());
      }
      if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item ?? null)).join(', ')}]`;
      return `{${Object.entries(value)
        .filter(([, item]) => item !== undefined && typeof item !== 'function')
        .map(([key, item]) => `${quote(key)}: ${pythonJsonDumps(item)}`)
        .join(', ')}}`;
    default:
      return 'null';
  }
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// Python's ensure_ascii escapes everything outside the printable ASCII range ' '..'~', plus '"' and '\'.
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/g;

function quote(text: string): string {
  return `"${text.replace(NEEDS_ESCAPE, (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/**
 * JavaScript and Python both print the shortest round-tripping digits, but Python switches to exponent notation
 * below 1e-4 (`1e-05`), where JavaScript waits until 1e-7. Integers print in full, as Python ints do.
 */
function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= -4) return String(value);
  return `${mantissa}e-${String(-exponent).padStart(2, '0')}`;
}
