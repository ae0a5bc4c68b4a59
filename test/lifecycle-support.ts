import { expect } from 'vitest';
import { call, type TestApp } from './harness.js';
import { latestCode, outboxMessages, type Person } from './mailbox.js';

const DAY_MS = 24 * 3600 * 1000;

/** JSON calls as one person. */
export function as(t: TestApp, person: Person, app = t.app) {
  const send = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(app, method, path, body, { token: person.token, json: true, ...(headers ? { headers } : {}) });
  return {
    get: (path: string) => send('GET', path),
    post: (path: string, body: unknown = {}, headers?: Record<string, string>) =>
      send('POST', path, body, headers),
    patch: (path: string, body: unknown) => send('PATCH', path, body),
    delete: (path: string) => send('DELETE', path),
  };
}

/** Creates a record and answers its id. */
export async function create(t: TestApp, person: Person, path: string, body: unknown): Promise<string> {
  const reply = await as(t, person).post(path, body);
  expect(reply.status, reply.text).toBe(201);
  return reply.json.data.id as string;
}

/** The two-step delete: asks, then confirms with the token. */
export async function softDelete(t: TestApp, person: Person, path: string): Promise<void> {
  const first = await as(t, person).delete(path);
  expect(first.status, first.text).toBe(428);
  const done = await as(t, person).delete(first.json.data.confirm_url);
  expect(done.status, done.text).toBe(200);
}

export function advanceDays(t: TestApp, days: number): void {
  t.clock.set(new Date(t.clock.now().getTime() + days * DAY_MS));
}

/** Repeats a step-up request with the code mailed to the person. */
export async function withStepUp(t: TestApp, person: Person, path: string) {
  const first = await as(t, person).post(path);
  expect(first.status, first.text).toBe(403);
  expect(first.json.error.code).toBe('escalation_required');
  const code = latestCode(await outboxMessages(t.config.dataDir), person.email);
  return as(t, person).post(`${path}?code=${code}`);
}
