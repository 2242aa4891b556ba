// The benchmark's Node.js baseline, an SSE server as it is most simply written: a Map of open
// responses, and per event a JSON.stringify and a res.write for every connection.
// node node-baseline.js <port>; POST /publish with a JSON body broadcasts it; GET anything else streams.
'use strict';
const http = require('http');

const connections = new Map();
let nextId = 0;
let eventId = 0;

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/publish') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      eventId++;
      for (const connection of connections.values()) {
        connection.write(`id: ${eventId}\ndata: ${JSON.stringify(message)}\n\n`);
      }
      res.writeHead(204);
      res.end();
    });
    return;
  }
  if (req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ connections: connections.size }));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const id = nextId++;
  connections.set(id, res);
  res.write(`data: ${JSON.stringify({ type: 'connection_established', message: 'Connected' })}\n\n`);
  req.on('close', () => connections.delete(id));
});
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.headersTimeout = 0;
server.maxConnections = 100000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'));
