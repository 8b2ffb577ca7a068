/**
 * The line (1-based) where each value of a JSON text starts, by path: `''` for the whole document, `[3]` for the
 * fourth element of a top-level array, `categories[2].handler` for a field of an element. For reporting a problem in
 * a JSON file by line, which `JSON.parse` cannot tell. The text must be valid JSON (parse it first); on anything
 * else the map stops where reading stopped.
 */
export function jsonValueLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  let line = 1;

  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) {
      if (text[i] === '\n') line += 1;
      i += 1;
    }
  };
  const readString = (): string => {
    const start = i;
    for (i += 1; i < text.length && text[i] !== '"'; i += 1) if (text[i] === '\\') i += 1;
    i += 1;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const child = (path: string, key: string | number) =>
    typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

  const readValue = (path: string): void => {
    skipSpace();
    lines.set(path, line);
    const char = text[i];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      i += 1;
      for (let index = 0; ; index += 1) {
        skipSpace();
        if (text[i] === close || i >= text.length) break;
        if (char === '{') {
          const key = readString();
          skipSpace();
          i += 1; // the colon
          readValue(child(path, key));
        } else {
          readValue(child(path, index));
        }
        skipSpace();
        if (text[i] === ',') i += 1;
      }
      i += 1;
    } else if (char === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i += 1;
    }
  };
  readValue('');
  return lines;
}

/** The line of `path` in `lines`, else of its nearest enclosing value that has one, else 1. */
export function lineOf(lines: ReadonlyMap<string, number>, path: string): number {
  for (let at = path; ; ) {
    const line = lines.get(at);
    if (line !== undefined) return line;
    if (at === '') return 1;
    const cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
    at = cut <= 0 ? '' : at.slice(0, cut);
  }
}
