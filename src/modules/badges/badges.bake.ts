import { crc32 } from 'node:zlib';

/**
 * Open Badges baking. PNG: one iTXt chunk (keyword `openbadges` for OB 2.0, `openbadgecredential` for 3.0),
 * uncompressed, inserted before IEND; any existing chunk with the keyword (iTXt or legacy tEXt) is dropped, so
 * re-baking replaces it. SVG: one `<openbadges:assertion>` element as the root's first child.
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
}

export function pngChunks(png: Buffer): Chunk[] {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  const chunks: Chunk[] = [];
  let at = 8;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    if (at + 12 + length > png.length) throw new Error('truncated PNG');
    chunks.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR' || chunks.at(-1)?.type !== 'IEND') throw new Error('malformed PNG');
  return chunks;
}

function encodeChunk({ type, data }: Chunk): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function keywordOf(chunk: Chunk): string | undefined {
  if (chunk.type !== 'iTXt' && chunk.type !== 'tEXt') return undefined;
  const nul = chunk.data.indexOf(0);
  return nul === -1 ? undefined : chunk.data.subarray(0, nul).toString('latin1');
}

export function bakePng(png: Buffer, text: string, keyword = 'openbadges'): Buffer {
  const chunks = pngChunks(png).filter((c) => keywordOf(c) !== keyword);
  const itxt: Chunk = {
    type: 'iTXt',
    // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text
    data: Buffer.concat([
      Buffer.from(keyword, 'latin1'),
      Buffer.from([0, 0, 0, 0, 0]),
      Buffer.from(text, 'utf8'),
    ]),
  };
  chunks.splice(chunks.length - 1, 0, itxt);
  return Buffer.concat([SIGNATURE, ...chunks.map(encodeChunk)]);
}

/** The first `keyword` text of a PNG (iTXt, or a legacy tEXt holding a URL), or undefined. */
export function extractPng(png: Buffer, keyword = 'openbadges'): string | undefined {
  for (const chunk of pngChunks(png)) {
    if (keywordOf(chunk) !== keyword) continue;
    const rest = chunk.data.subarray(keyword.length + 1);
    if (chunk.type === 'tEXt') return rest.toString('latin1');
    if (rest[0] !== 0) throw new Error('compressed iTXt is not allowed for badges');
    const lang = rest.indexOf(0, 2);
    const translated = rest.indexOf(0, lang + 1);
    return rest.subarray(translated + 1).toString('utf8');
  }
  return undefined;
}

const ELEMENT = /<openbadges:assertion\b[^>]*?(\/>|>[\s\S]*?<\/openbadges:assertion>)/g;

/**
 * Bakes an SVG: the JSON goes in CDATA with `>` escaped as \u003e so `]]>` cannot close it early. A PNG or
 * JPEG badge image is wrapped in an SVG first.
 */
export function bakeSvg(image: Buffer, mimetype: string, verifyUrl: string, json: string): string {
  let svg =
    mimetype === 'image/svg+xml'
      ? image.toString('utf8').replace(ELEMENT, '')
      : `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="256" height="256"><image width="256" height="256" href="data:${mimetype};base64,${image.toString('base64')}"/></svg>`;
  const open = /<svg\b[^>]*>/.exec(svg);
  if (!open) throw new Error('not an SVG');
  let tag = open[0];
  if (!/xmlns:openbadges=/.test(tag))
    tag = tag.replace(/^<svg/, '<svg xmlns:openbadges="http://openbadges.org"');
  const attr = verifyUrl.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  const element = `<openbadges:assertion verify="${attr}"><![CDATA[${json.replaceAll('>', '\\u003e')}]]></openbadges:assertion>`;
  svg = svg.slice(0, open.index) + tag + element + svg.slice(open.index + open[0].length);
  return svg;
}

export function extractSvg(svg: string): { verify: string; json: string | undefined } | undefined {
  const m =
    /<openbadges:assertion\b[^>]*?verify="([^"]*)"[^>]*?(?:\/>|>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>)?\s*<\/openbadges:assertion>)/.exec(
      svg,
    );
  if (!m) return undefined;
  const verify = (m[1] ?? '').replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&amp;', '&');
  return { verify, json: m[2] };
}
