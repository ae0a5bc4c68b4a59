// The ceiling: a bare node:http server answering every request with exactly the status, headers
// and body bytes our server returned for the scenario's request. Prints its port when listening.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const recorded = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const body = Buffer.from(recorded.body, 'base64');
// Node adds these itself, as it does for our server.
const automatic = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const headers = [];
for (let i = 0; i < recorded.rawHeaders.length; i += 2) {
  if (!automatic.has(recorded.rawHeaders[i].toLowerCase()))
    headers.push(recorded.rawHeaders[i], recorded.rawHeaders[i + 1]);
}

const server = createServer((req, res) => {
  // Read the request body (POST) before answering, as our server must.
  req.resume();
  req.on('end', () => {
    res.writeHead(recorded.status, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
