// Run inside a namespace: accepts connections on a unix socket and relays each to ADDRESS:PORT, so the test process
// (outside every namespace) can reach a server in the lab through the file system. Usage: node unixTcpBridge.ts SOCKET ADDRESS PORT
import { connect, createServer } from 'node:net';

const [socketPath, address, port] = process.argv.slice(2);
if (socketPath === undefined || address === undefined || port === undefined) {
  process.stderr.write('usage: unixTcpBridge.ts SOCKET ADDRESS PORT\n');
  process.exit(2);
}

// Half-open on both sides, so a client that sends and then shuts its side down still gets the whole answer.
const server = createServer({ allowHalfOpen: true }, (inbound) => {
  const outbound = connect({ port: Number(port), host: address, allowHalfOpen: true });
  inbound.pipe(outbound).pipe(inbound);
  const closeBoth = (): void => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on('error', closeBoth);
  outbound.on('error', closeBoth);
});
server.listen(socketPath, () => process.stdout.write(`listening on ${socketPath} for ${address}:${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
