import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const RECIPE = path.join(root, 'deploy', 'nginx', 'agentcrm.conf');
const PROXY_RULES = path.join(root, 'deploy', 'nginx', 'agentcrm-proxy.conf');

export interface ProxyProcess {
  url: string;
  /** One entry per request nginx answered: the instance it went to (`-` when none) and the status. */
  served(): Promise<Array<{ uri: string; upstream: string; status: number }>>;
  stop(): Promise<void>;
}

/**
 * Runs Debian's nginx with the production recipe: the `upstream` block of deploy/nginx/agentcrm.conf
 * with its instance addresses replaced by `instances`, and deploy/nginx/agentcrm-proxy.conf included
 * as it is, behind a plain-HTTP listener on `port` (the recipe's TLS server block is the only part
 * not run).
 */
export async function startProxy(port: number, instances: number[]): Promise<ProxyProcess> {
  if (!existsSync(NGINX)) {
    throw new Error(`nginx is not installed at ${NGINX}: apt-get install nginx (or set NGINX_BIN)`);
  }
  const recipe = await readFile(RECIPE, 'utf8');
  const upstream = /upstream agentcrm \{[\s\S]*?\n\}/.exec(recipe)?.[0];
  const serverLine = /^\s*server 127\.0\.0\.1:\d+ (.*);$/m.exec(upstream ?? '');
  if (!upstream || !serverLine) throw new Error('deploy/nginx/agentcrm.conf has no upstream block to test');
  const servers = instances
    .map((instance) => `    server 127.0.0.1:${instance} ${serverLine[1]};`)
    .join('\n');
  const ours = upstream.replace(/^\s*server 127\.0\.0\.1:\d+ .*;\n/gm, '').replace('{', `{\n${servers}`);

  const dir = await mkdtemp(path.join(tmpdir(), 'agentcrm-nginx-'));
  await mkdir(path.join(dir, 'temp'));
  const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  log_format agentcrm '$upstream_addr $status $request_uri';
  access_log ${dir}/access.log agentcrm;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
${ours}
  server {
    listen 127.0.0.1:${port};
    include ${PROXY_RULES};
  }
}
`;
  await writeFile(path.join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', `${dir}/error.log`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${output}${await readLog(dir, 'error.log')}`);
    try {
      await fetch(`${url}/healthz`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    async served() {
      const lines = (await readLog(dir, 'access.log')).split('\n').filter(Boolean);
      return lines.map((line) => {
        const [upstream, status, uri] = line.split(' ');
        return { upstream: upstream!, status: Number(status), uri: uri! };
      });
    },
    async stop() {
      child.kill('SIGQUIT');
      await exited;
      if (!process.env.KEEP_NGINX) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function readLog(dir: string, name: string): Promise<string> {
  try {
    return await readFile(path.join(dir, name), 'utf8');
  } catch {
    return '';
  }
}
