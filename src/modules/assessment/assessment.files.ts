/**
 * What a submission's files may be: a few document and image types, recognised by their first bytes (the
 * name and the declared type must agree with the content, so a program renamed `.pdf` is refused).
 */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_SUBMISSION_BYTES = 20 * 1024 * 1024;
export const MAX_FILES = 10;

interface Kind {
  readonly type: string;
  readonly extensions: readonly string[];
  readonly matches: (data: Buffer) => boolean;
}

const starts = (data: Buffer, bytes: readonly number[]) => bytes.every((b, i) => data[i] === b);

const KINDS: readonly Kind[] = [
  {
    type: 'application/pdf',
    extensions: ['pdf'],
    matches: (d) => d.subarray(0, 5).toString('latin1') === '%PDF-',
  },
  {
    type: 'image/png',
    extensions: ['png'],
    matches: (d) => starts(d, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  { type: 'image/jpeg', extensions: ['jpg', 'jpeg'], matches: (d) => starts(d, [0xff, 0xd8, 0xff]) },
  { type: 'image/gif', extensions: ['gif'], matches: (d) => d.subarray(0, 4).toString('latin1') === 'GIF8' },
  {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    matches: (d) => starts(d, [0x50, 0x4b, 0x03, 0x04]),
  },
  {
    type: 'text/plain',
    extensions: ['txt', 'md'],
    // Text: valid UTF-8 with no NUL bytes.
    matches: (d) => !d.includes(0) && Buffer.from(d.toString('utf8'), 'utf8').equals(d),
  },
];

export const ALLOWED_TYPES = KINDS.map((k) => k.type);

/** Answers the content type to store, or a reason the file is refused. */
export function checkFile(
  name: string,
  declaredType: string,
  data: Buffer,
): { type: string } | { reason: string } {
  if (!/^[^/\\\0]{1,200}$/.test(name))
    return { reason: 'The file name must be 1–200 characters without slashes.' };
  if (data.length === 0) return { reason: 'The file is empty.' };
  const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  const kind = KINDS.find((k) => k.extensions.includes(extension));
  if (!kind)
    return {
      reason: `Files of this kind are not accepted; use ${KINDS.flatMap((k) => k.extensions).join(', ')}.`,
    };
  const declared = declaredType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (declared !== '' && declared !== 'application/octet-stream' && declared !== kind.type)
    return { reason: `The file is named .${extension} but declared as ${declared}.` };
  if (!kind.matches(data))
    return { reason: `The file's content is not ${kind.type}, whatever its name says.` };
  return { type: kind.type };
}
