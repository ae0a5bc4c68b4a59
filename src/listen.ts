import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

/** The server could not take its address: in use, or not allowed. The CLI exits with its own code. */
export class ListenError extends Error {}

/**
 * Listens on host:port and resolves with the server, or rejects with a ListenError in one line
 * (Node's default for a refused address is an unhandled 'error' event and a stack trace).
 */
export function listen(
  fetch: (request: Request, env?: unknown) => Promise<Response> | Response,
  options: { port: number; host: string; setting: string; serverOptions?: Record<string, unknown> },
): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = serve(
      { fetch, port: options.port, hostname: options.host, serverOptions: options.serverOptions },
      () => {
        server.off('error', refused);
        resolve(server as Server);
      },
    );
    const refused = (error: NodeJS.ErrnoException) => {
      const where = `${options.host}:${options.port}`;
      const why =
        error.code === 'EADDRINUSE'
          ? `${where} is already in use (another agentcrm, or another program); stop it or set ${options.setting} to a free port`
          : error.code === 'EACCES'
            ? `${where} is not allowed for this user (ports below 1024 need privileges); set ${options.setting} to 1024 or above`
            : error.code === 'EADDRNOTAVAIL'
              ? `${options.host} is not an address of this machine; check the host setting`
              : `cannot listen on ${where}: ${error.message}`;
      reject(new ListenError(why));
    };
    server.once('error', refused);
  });
}
