/** The MCP endpoint is the protected resource; its URL is the `resource` clients must name. */
export const mcpResource = (publicUrl: string) => `${publicUrl}/mcp`;

/** RFC 8707 resource indicators we accept: the MCP URL exactly, or with one trailing slash. */
export function isOurResource(publicUrl: string, resource: string): boolean {
  const ours = mcpResource(publicUrl);
  return resource === ours || resource === `${ours}/`;
}
