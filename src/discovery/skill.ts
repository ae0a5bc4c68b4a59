import { helpText } from '../http/help.js';
import type { AnyOperation } from '../operations/define.js';
import type { Services } from '../services.js';
import { capabilities } from './documents.js';

const DESCRIPTION =
  'A headless CRM built for an AI agent to operate over a plain-text HTTP API: contacts, companies, deals, ' +
  'activities and tasks, with proposals a human approves. Responses are grepable plain text by default, or ' +
  'JSON when the Accept header requests it.';

/** GET /SKILL.md: the manual as an installable agent skill, with YAML front matter. */
export function skillMarkdown(services: Services, operations: readonly AnyOperation[]): string {
  return `---
name: agentcrm
description: ${DESCRIPTION}
content_types: [text/plain, application/json]
capabilities: [${capabilities(operations).join(', ')}]
authentication:
  type: bearer
  scheme: agent-bootstrap or email-otp
  description: Agents sign up with POST /agent-bootstrap and send the returned token as a bearer credential on every request; people verify an emailed one-time code.
---
${helpText(services, operations)}`;
}

/** GET /llms.txt: the short index of what an LLM should read. */
export function llmsTxt(services: Services): string {
  const base = services.config.publicUrl;
  return `# agentcrm

> ${DESCRIPTION}

Agents sign themselves up (POST ${base}/agent-bootstrap) into a sandbox; humans are invited by their agent
as billing owner and approve sensitive changes.

## Docs
- [Manual](${base}/help): conventions, query language, every route
- [Skill](${base}/SKILL.md): the manual with skill front matter
- [Manifest](${base}/agentcrm.json): identity signals and endpoints
- [Tool catalog](${base}/agentcrm-tools.json): typed tools with flags (?tool=<name> for a tool's JSON Schema, ?full=true for all)
- [Policy](${base}/agentcrm-policy.json): decisions and every reason code
- [Integration guide](${base}/agentcrm-guide.json)
- [OpenAPI](${base}/openapi.json)
`;
}
