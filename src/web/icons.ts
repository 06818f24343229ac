import { Resvg } from '@resvg/resvg-js';

/**
 * The hub's icon: two overlapping speech-bubble circles (people learning together) on the accent blue. Drawn
 * with shapes only, so resvg needs no fonts and the same file serves as favicon, header mark and app icon.
 */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"><rect width="64" height="64" rx="14" fill="#1f4fb8"/><circle cx="25" cy="28" r="13" fill="#ffffff"/><circle cx="40" cy="36" r="13" fill="#f0b400" fill-opacity=".92"/><path d="M17 44l-3 9 9-5z" fill="#ffffff"/></svg>`;

/** The web app manifest: the name, colours and icons a phone uses when the hub is added to a home screen. */
export const MANIFEST = {
  name: 'Learnhub',
  short_name: 'Learnhub',
  description: 'An open learning hub: courses, messages, activity and badges in one place.',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  background_color: '#fbfbfd',
  theme_color: '#1f4fb8',
  icons: [
    { src: '/icon.svg', type: 'image/svg+xml', sizes: 'any', purpose: 'any' },
    { src: '/icon-192.png', type: 'image/png', sizes: '192x192' },
    { src: '/icon-512.png', type: 'image/png', sizes: '512x512' },
  ],
};

const pngs = new Map<number, Buffer>();

/** The icon as a square PNG of `size` pixels, rendered once per process. */
export function iconPng(size: number): Buffer {
  const known = pngs.get(size);
  if (known) return known;
  const png = new Resvg(ICON_SVG, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } })
    .render()
    .asPng();
  pngs.set(size, png);
  return png;
}

let ico: Buffer | undefined;

/**
 * /favicon.ico: an ICO file holding one 32×32 PNG (the PNG-in-ICO form every current browser reads). Browsers
 * ask for it on their own, whatever the page links, so it must exist rather than answer a 404.
 */
export function faviconIco(): Buffer {
  if (ico) return ico;
  const png = iconPng(32);
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(32, 6); // width
  header.writeUInt8(32, 7); // height
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9); // reserved
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14); // size of the image data
  header.writeUInt32LE(22, 18); // offset of the image data
  ico = Buffer.concat([header, png]);
  return ico;
}
