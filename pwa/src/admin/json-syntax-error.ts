/**
 * Finds where JSON text first goes wrong, as "line L, column C: what was expected".
 * Engines word (and place) JSON.parse errors differently — some give no position at
 * all — so the editor locates the error itself with a small recursive-descent scan.
 */
export function jsonSyntaxError(text: string): string | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (expected: string): never => {
    throw new SyntaxError(
      `${expected}, found ${i >= text.length ? 'the end of the text' : JSON.stringify(text[i])}`,
    );
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('expected a value');
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20)
        fail('expected the string to be closed with " on this line');
      i++;
    }
    if (text[i] !== '"') fail('expected " to close the string');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail('expected a number');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail('expected a value');
  };
  const list = (close: string, item: () => void) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`expected , or ${close}`);
    }
  };
  const object = () =>
    list('}', () => {
      ws();
      if (text[i] !== '"') fail('expected a "quoted" field name');
      string();
      ws();
      if (text[i] !== ':') fail('expected : after the field name');
      i++;
      value();
    });
  const array = () => list(']', value);

  try {
    value();
    ws();
    if (i < text.length) fail('expected the end of the document');
    return null;
  } catch (err) {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const column = i - before.lastIndexOf('\n');
    return `Line ${line}, column ${column}: ${(err as Error).message}.`;
  }
}
