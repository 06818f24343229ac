// The baseline: a bare Fastify hello-world, run as its own process like the hub.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url: address })}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
