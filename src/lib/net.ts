import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A listener could not bind its port: one line naming the variable to change, for the start-up message. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly variable: string,
    readonly port: number,
    host: string,
    hint = '',
  ) {
    super(`${variable} ${port} on ${host} is already in use; set ${variable} to a free port${hint}`);
  }
}
