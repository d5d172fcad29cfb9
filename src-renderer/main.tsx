// The renderer's entry: picks the transport and asks main at once for what every start needs (the topology, the
// overlay), so that main works it out while the browser reads the application's code (startApp.tsx, fetched alongside
// this file: index.html preloads it), which then starts with those answers and the events that came meanwhile.
import '@xyflow/react/dist/style.css';
import './styles.css';
import { earlyTransport } from './app/earlyTransport.ts';
import { pickTransport } from './app/pickTransport.ts';

const transport = pickTransport({
  bridge: window.raincoat,
  host: location.host,
  hash: location.hash,
  openSocket: (url) => new WebSocket(url),
});
const started = transport && earlyTransport(transport, { ask: ['topology.get', 'overlay.get'], keep: ['topology.didChange', 'overlay.didChange'] });
const { startApp } = await import('./app/startApp.tsx');
startApp(document.getElementById('root')!, started);
