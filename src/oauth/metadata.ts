import { mcpResource } from '../auth/oauth/resource.js';
import { SCOPES } from '../auth/scopes.js';

/** RFC 8414 authorization server metadata; the issuer is the root of PUBLIC_URL. */
export function authorizationServerMetadata(publicUrl: string) {
  return {
    issuer: publicUrl,
    authorization_endpoint: `${publicUrl}/authorize`,
    token_endpoint: `${publicUrl}/token`,
    registration_endpoint: `${publicUrl}/register`,
    revocation_endpoint: `${publicUrl}/revoke`,
    scopes_supported: [...SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    // An https client_id naming the client's metadata document (MCP 2026-07-28), beside registration.
    client_id_metadata_document_supported: true,
    service_documentation: `${publicUrl}/help`,
  };
}

/** RFC 9728 protected resource metadata for /mcp. */
export function protectedResourceMetadata(publicUrl: string) {
  return {
    resource: mcpResource(publicUrl),
    authorization_servers: [publicUrl],
    scopes_supported: [...SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'agentcrm',
    resource_documentation: `${publicUrl}/help`,
  };
}
