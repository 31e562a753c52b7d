// util.xml.toMap / toJsonString with the conventions of org.json's XML.toJSONObject (the shape the
// AppSync examples show): text-only elements become their value (numbers and booleans typed),
// repeated elements become arrays, attributes become keys, text beside children or attributes goes
// under "content", empty elements are "". Declarations, comments and processing instructions are skipped.
import { setOwn, utilFailure } from './errors.ts';

const MAX_DEPTH = 128;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

function typed(text: string): unknown {
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (/^null$/i.test(text)) return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return text;
}

function accumulate(target: Record<string, unknown>, key: string, value: unknown): void {
  if (!Object.hasOwn(target, key)) setOwn(target, key, value);
  else if (Array.isArray(target[key])) (target[key] as unknown[]).push(value);
  else setOwn(target, key, [target[key], value]);
}

class XmlParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  private fail(reason: string): never {
    return utilFailure(`Invalid XML at position ${this.pos}: ${reason}`);
  }

  private skipMisc(): void {
    for (;;) {
      const rest = this.src.slice(this.pos);
      const ws = /^\s+/.exec(rest);
      if (ws) {
        this.pos += ws[0].length;
        continue;
      }
      if (rest.startsWith('<?')) this.skipPast('?>');
      else if (rest.startsWith('<!--')) this.skipPast('-->');
      else if (rest.startsWith('<!DOCTYPE')) this.skipPast('>');
      else return;
    }
  }

  private skipPast(end: string): void {
    const at = this.src.indexOf(end, this.pos);
    if (at < 0) this.fail(`missing '${end}'`);
    this.pos = at + end.length;
  }

  document(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.skipMisc();
    while (this.pos < this.src.length) {
      if (this.src[this.pos] !== '<') this.fail('text outside of the root element');
      const [name, value] = this.element(0);
      accumulate(out, name, value);
      this.skipMisc();
    }
    return out;
  }

  private element(depth: number): [string, unknown] {
    if (depth > MAX_DEPTH) this.fail('elements nested too deeply');
    const open = /^<([A-Za-z_:][\w:.-]*)/.exec(this.src.slice(this.pos));
    if (!open) this.fail('expected an element');
    const name = open[1];
    this.pos += open[0].length;
    const obj: Record<string, unknown> = {};
    let hasAttributes = false;
    for (;;) {
      const rest = this.src.slice(this.pos);
      const attr = /^\s+([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest);
      if (attr) {
        accumulate(obj, attr[1], typed(decode(attr[3] ?? attr[4] ?? '')));
        hasAttributes = true;
        this.pos += attr[0].length;
        continue;
      }
      const close = /^\s*(\/?)>/.exec(rest);
      if (!close) this.fail(`malformed start tag <${name}>`);
      this.pos += close[0].length;
      if (close[1] === '/') return [name, hasAttributes ? obj : ''];
      break;
    }
    let text = '';
    let hasChildren = false;
    for (;;) {
      if (this.pos >= this.src.length) this.fail(`unclosed element <${name}>`);
      const rest = this.src.slice(this.pos);
      if (rest.startsWith('</')) {
        const end = /^<\/([A-Za-z_:][\w:.-]*)\s*>/.exec(rest);
        if (!end || end[1] !== name) this.fail(`mismatched end tag for <${name}>`);
        this.pos += end[0].length;
        break;
      }
      if (rest.startsWith('<!--')) this.skipPast('-->');
      else if (rest.startsWith('<?')) this.skipPast('?>');
      else if (rest.startsWith('<![CDATA[')) {
        const at = this.src.indexOf(']]>', this.pos);
        if (at < 0) this.fail('unclosed CDATA section');
        text += this.src.slice(this.pos + 9, at);
        this.pos = at + 3;
      } else if (rest.startsWith('<')) {
        const [child, value] = this.element(depth + 1);
        accumulate(obj, child, value);
        hasChildren = true;
      } else {
        const next = this.src.indexOf('<', this.pos);
        const end = next < 0 ? this.src.length : next;
        text += decode(this.src.slice(this.pos, end));
        this.pos = end;
      }
    }
    const trimmed = text.trim();
    if (!hasChildren && !hasAttributes) return [name, typed(trimmed)];
    if (trimmed !== '') accumulate(obj, 'content', typed(trimmed));
    return [name, obj];
  }
}

export function xmlToMap(xml: unknown): Record<string, unknown> | null {
  if (xml === null || xml === undefined) return null;
  if (typeof xml !== 'string') return utilFailure('util.xml.toMap expects a string');
  return new XmlParser(xml).document();
}

export function createXmlUtils(): Record<string, unknown> {
  return {
    toMap: xmlToMap,
    toJsonString: (xml: unknown, stringEncode?: unknown) => {
      const json = JSON.stringify(xmlToMap(xml));
      return stringEncode === true ? JSON.stringify(json) : json;
    },
  };
}
