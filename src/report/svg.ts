/**
 * A tiny SVG builder whose output is safe to inline into HTML: every attribute value and text
 * node goes through `escapeXml`, and only builder output (branded `Svg`) may be nested, so a
 * group or step name can never smuggle markup into the report.
 */
export type Svg = string & { readonly __svg: unique symbol };

export type Attrs = Record<string, string | number | undefined>;

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

export function el(tag: string, attrs: Attrs = {}, ...children: (Svg | undefined)[]): Svg {
  const attrText = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  const inner = children.filter((c) => c !== undefined).join('');
  return (inner === '' ? `<${tag}${attrText}/>` : `<${tag}${attrText}>${inner}</${tag}>`) as Svg;
}

export function text(content: string): Svg {
  return escapeXml(content) as Svg;
}

export function fragment(children: readonly (Svg | undefined)[]): Svg {
  return children.filter((c) => c !== undefined).join('') as Svg;
}

/** Coordinates rounded to 0.1 px: invisible on screen, a third of the bytes in long paths. */
export function px(n: number): number {
  return Math.round(n * 10) / 10;
}
