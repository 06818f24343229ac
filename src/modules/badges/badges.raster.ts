import { Resvg } from '@resvg/resvg-js';

/**
 * A PNG of any stored badge image, so that every award has a baked PNG download: an SVG is rasterised as is; a
 * JPEG or GIF is placed in a 256×256 SVG first (resvg draws embedded raster images). No fonts are loaded and
 * nothing is fetched: resvg resolves no external references. Results are kept per process, keyed by the image
 * bytes' identity, since a badge's image is rasterised for every download of every award.
 */
const WIDTH = 256;
const cache = new WeakMap<Buffer, Buffer>();

export function rasterise(data: Buffer, mimetype: string): Buffer {
  if (mimetype === 'image/png') return data;
  const known = cache.get(data);
  if (known) return known;
  const svg =
    mimetype === 'image/svg+xml'
      ? data
      : Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${WIDTH}"><image width="${WIDTH}" height="${WIDTH}" href="data:${mimetype};base64,${data.toString('base64')}"/></svg>`,
        );
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: WIDTH },
    font: { loadSystemFonts: false },
  })
    .render()
    .asPng();
  cache.set(data, png);
  return png;
}
