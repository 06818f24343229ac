import type { AddressInfo } from 'node:net';
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly envelopeFrom: string;
  readonly envelopeTo: string[];
  readonly raw: string;
  readonly parsed: Email;
}

/** What a sink in `envelopeOnly` mode keeps of a mail. */
export interface ReceivedEnvelope {
  readonly envelopeTo: string[];
  readonly messageId: string | undefined;
}

export interface SmtpSink {
  readonly port: number;
  readonly url: string;
  readonly messages: ReceivedMail[];
  /** In `envelopeOnly` mode: recipients and Message-ID of every mail accepted (`messages` stays empty). */
  readonly envelopes: ReceivedEnvelope[];
  /** Mails accepted so far (in either mode). */
  readonly count: number;
  /** Resolves when at least `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Refuses a recipient at RCPT TO with this SMTP code (e.g. 550 for good, 451 for now) when it returns one. */
  readonly refuse?: (recipient: string) => number | undefined;
  /** Keep only recipients and Message-ID, unparsed: for counting thousands of mails cheaply. */
  readonly envelopeOnly?: boolean;
  /** A fixed port (to start a sink again where a stopped one was); default any free port. */
  readonly port?: number;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives, for mail tests. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const envelopes: ReceivedEnvelope[] = [];
  const count = () => messages.length + envelopes.length;
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = options.refuse?.(address.address);
      if (code === undefined) return callback();
      callback(Object.assign(new Error(`refused ${address.address}`), { responseCode: code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        if (options.envelopeOnly) {
          const head = raw.slice(0, Math.max(raw.indexOf('\r\n\r\n'), 0));
          envelopes.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            messageId: /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head)?.[1],
          });
          for (const wake of waiters.splice(0)) wake();
          callback();
          return;
        }
        PostalMime.parse(raw).then(
          (parsed) => {
            messages.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
            });
            for (const wake of waiters.splice(0)) wake();
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  // A sender killed mid-mail resets its connection; that is the sender's failure, not the sink's.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    envelopes,
    get count() {
      return count();
    },
    waitFor(wanted, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`expected ${wanted} mails, got ${count()}`)),
          timeoutMs,
        );
        const check = () => {
          if (count() >= wanted) {
            clearTimeout(deadline);
            resolve(messages);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
