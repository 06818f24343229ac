import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { PortInUseError } from '../../lib/net.ts';
import { ingestRawMessage, liveToken, MAX_INBOUND_BYTES } from './messaging.inbound.ts';

export interface InboundSmtp {
  readonly port: number;
  close(): Promise<void>;
}

function smtpError(message: string, code: number): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Maps pipeline refusals to SMTP replies: 5xx for the sender's mistakes, 4xx (try later) for ours. */
function toSmtp(error: unknown): Error & { responseCode: number } {
  if (error instanceof AppError) {
    if (error.code === 'messaging.message_too_large') return smtpError(error.message, 552);
    if (error.status < 500) return smtpError(error.message, 550);
  }
  return smtpError('Temporary failure, try again later', 451);
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded ? undefined : Buffer.concat(chunks)));
  });
}

/**
 * The built-in inbound SMTP listener for reply-by-email (point the INBOUND_EMAIL_DOMAIN MX record at it, or
 * relay to it). It is not an MTA: it takes mail only for live reply addresses, refusing unknown or expired
 * tokens at RCPT time so nothing is accepted that would later have to bounce (no backscatter).
 */
export async function startInboundSmtp(
  deps: Deps,
  options: { port: number; host: string },
): Promise<InboundSmtp> {
  const server = new SMTPServer({
    name: deps.config.inboundEmailDomain,
    banner: 'Learnhub reply-by-email',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_INBOUND_BYTES,
    maxClients: 50,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      liveToken(deps, address.address).then(
        (found) =>
          found
            ? callback()
            : callback(smtpError(`<${address.address}>: no such reply address (unknown or expired)`, 550)),
        (error: unknown) => {
          deps.logger.error({ err: error }, 'inbound smtp: token lookup failed');
          callback(smtpError('Temporary failure, try again later', 451));
        },
      );
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          if (!raw) throw smtpError(`Message exceeds ${MAX_INBOUND_BYTES} bytes`, 552);
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const result = await ingestRawMessage(
            deps,
            raw,
            { mailFrom, rcptTo: session.envelope.rcptTo.map((r) => r.address) },
            'smtp',
          );
          deps.logger.info({ result }, 'inbound smtp: message taken');
          callback();
        })
        .catch((error: unknown) => {
          if (error instanceof Error && 'responseCode' in error) return callback(error);
          if (!(error instanceof AppError)) deps.logger.error({ err: error }, 'inbound smtp: ingest failed');
          callback(toSmtp(error));
        });
    },
  });
  server.on('error', (error) => deps.logger.warn({ err: error }, 'inbound smtp: connection error'));
  // The SMTPServer re-emits its socket's errors (a port in use, too) as its own 'error' event.
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              'INBOUND_SMTP_PORT',
              options.port,
              options.host,
              ', or set INBOUND_SMTP_PORT=0 to turn the reply-by-email listener off',
            )
          : error,
      );
    server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
