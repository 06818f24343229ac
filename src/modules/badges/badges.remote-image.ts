import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { OutboundAddressError } from '../../lib/outbound.ts';
import { badgeErrors } from './badges.errors.ts';
import { rasterise } from './badges.raster.ts';
import { type ImageInput, MAX_IMAGE_BYTES, sniffImage } from './badges.validation.ts';

/**
 * A badge created or changed with an image URL (BadgeKit's `image`/`imageUrl`, the native `image`) gets a
 * stored copy, fetched once, at that request: without the bytes the hub cannot bake the award's PNG and SVG.
 * The fetch goes through the outbound guard (deps.outbound: no loopback, private or link-local addresses, on
 * every redirect hop too), is cut off after REMOTE_IMAGE_TIMEOUT_MS and MAX_IMAGE_BYTES, and the bytes must be
 * a PNG, JPEG, GIF or SVG that can be drawn, exactly as for an upload. Any failure refuses the request with
 * the same 400 as a bad upload (field `image`, saying why), so nothing is stored and the client can fix it;
 * there is no half-made badge waiting for an image.
 *
 * The badge keeps the URL it was given as its `imageUrl` (as BadgeKit's own server answered); the copy is what
 * gets baked.
 */
export const REMOTE_IMAGE_TIMEOUT_MS = 5000;

export type StoredImageInput = { readonly url?: string; readonly data: Buffer; readonly mimetype: string };

const ACCEPT = 'image/png, image/svg+xml, image/jpeg, image/gif;q=0.9, */*;q=0.1';

async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(Buffer.from(value));
  }
}

function why(error: unknown): string {
  if (error instanceof OutboundAddressError)
    return 'points at a private or local network address, which the hub does not fetch from';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `could not be fetched within ${REMOTE_IMAGE_TIMEOUT_MS / 1000} seconds`;
  return 'could not be fetched (no connection to its server)';
}

/** Fetches and checks the image at `url`; throws badges.invalid (field `image`) when it cannot be used. */
export async function fetchRemoteImage(deps: Pick<Deps, 'outbound'>, url: string): Promise<StoredImageInput> {
  const refuse = (message: string) => badgeErrors.invalid([{ field: 'image', value: url, message }]);
  const signal = AbortSignal.timeout(REMOTE_IMAGE_TIMEOUT_MS);
  let data: Buffer | undefined;
  try {
    const response = await deps.outbound(url, { headers: { accept: ACCEPT }, signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      throw refuse(`could not be fetched: its server answered ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > MAX_IMAGE_BYTES || !response.body) {
      await response.body?.cancel();
      if (!response.body) throw refuse('could not be fetched: its server sent no image');
      throw refuse(`must be at most ${MAX_IMAGE_BYTES} bytes`);
    }
    data = await readCapped(response.body, MAX_IMAGE_BYTES);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse(why(error));
  }
  if (!data) throw refuse(`must be at most ${MAX_IMAGE_BYTES} bytes`);
  const mimetype = sniffImage(data);
  if (!mimetype) throw refuse('is not a PNG, JPEG, GIF or SVG image');
  // An SVG (or a broken JPEG/GIF) that resvg cannot draw would leave the award without a baked PNG.
  try {
    rasterise(data, mimetype);
  } catch {
    throw refuse('is an image that cannot be drawn');
  }
  return { url, data, mimetype };
}

/** The image to store: uploads and data: URIs as they are, a URL fetched (see above). */
export async function withRemoteImage(
  deps: Pick<Deps, 'outbound'>,
  image: ImageInput | undefined,
): Promise<StoredImageInput | ImageInput | undefined> {
  return image && 'url' in image ? fetchRemoteImage(deps, image.url) : image;
}
