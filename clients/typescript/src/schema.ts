// Generated from /openapi.json by clients/typescript/generate.ts (openapi-typescript). Do not edit:
// change the operations, then run `npx tsx clients/typescript/generate.ts`.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface paths {
    "/activities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recent activities, newest first: ?contact=&deal=&limit=&cursor= (also GET /contacts/{id}/activities).
         * @description Other filters use the query language: kind, occurred_at, created_at, created_by, body; sort= defaults to -occurred_at. Activities of a deleted contact are hidden until it is restored.
         */
        get: operations["activities.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/retention/sweep": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run one pass of the retention sweeper over this workspace now, and see what it removed (admin).
         * @description Purges soft-deleted contacts, companies and deals past their 30-day retention (each leaves an audit row), change-feed events and finished webhook deliveries older than EVENTS_RETENTION_DAYS, expired idempotency keys and OAuth codes; at most RETENTION_SWEEP_BATCH rows per table. more=true means call it again. The server runs the same pass over every workspace every RETENTION_SWEEP_SECONDS (docs/lifecycle.md).
         */
        post: operations["lifecycle.sweep"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agent-bootstrap": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign an agent up: creates a sandbox workspace, the agent, and its bearer token. No auth needed.
         * @description Persist data.workspace_id, data.agent_id and data.token. Only the sandbox plan can be requested; production needs a human billing owner (invite one with humans.invite_billing_owner).
         */
        post: operations["account.bootstrap"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agent-invite-human": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Invite your human as billing owner: they get an email link to /human?invite=… (AgentOnly section 04).
         * @description Creates a one-time invite and emails the link; you never see its secret. Until the human accepts, the workspace stays on the sandbox plan. A new invite withdraws a pending one (warning invite.withdrawn). Once accepted, the human is the billing owner and an admin, approves your proposals and can unlock production (billing.request_upgrade).
         */
        post: operations["humans.invite_billing_owner"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workspace audit log, newest first: ?actor=&operation=&target=&since=&limit=&cursor=.
         * @description One entry per change: who (actor, token), what (operation, target handle, changed fields before/after, record_version), why (reason), and the request id, idempotency key and policy decision. operation takes an exact name or a prefix such as contacts.*; since is RFC3339.
         */
        get: operations["audit.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Email a 6-digit sign-in code to an address (step 1 of sign-in). No auth needed.
         * @description Always answers the same way, whether or not the address is known. The code works once, for 10 minutes; ask the person for it, then call auth.verify. Throttled per address and per client.
         */
        post: operations["auth.request_code"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange the emailed code for a bearer token labelled token_name (step 2 of sign-in). No auth needed.
         * @description Returns data.token once: save it and send it as Authorization: Bearer <token>. The first sign-in of an address creates the person and a personal sandbox workspace; pending invites are joined. Five wrong codes lock the address for 15 minutes, across new codes.
         */
        post: operations["auth.verify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/billing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The plan, the billing owner, the monthly budget, and this month's metered usage and estimated cost. */
        get: operations["billing.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/billing/budget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set the workspace's monthly budget (the billing owner only); production writes past it are denied. */
        post: operations["billing.set_budget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/billing/upgrade": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask to move the workspace to the production plan: the billing owner approves it (outcome "proposed").
         * @description Denied with billing.human_owner_required_for_production until a human accepted the billing-owner invite. Production has large caps and is metered against the budget the billing owner sets.
         */
        post: operations["billing.request_upgrade"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/companies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List or query companies: filters field=[op:]value, search=, sort=, limit=, cursor=.
         * @description Filters: id name domain industry size website tags version created_at updated_at custom.<key>. Operators: eq ne gt gte lt lte like in is not. search= looks in name, domain and industry. When more rows remain the answer carries a cursor ("# next:" in text, next_cursor in JSON); pass it back as cursor= with the same other parameters.
         */
        get: operations["companies.search"];
        put?: never;
        /**
         * Create a company, or update the live company with the same domain (upsert; fields you send are merged).
         * @description The domain is normalised (https://www.Acme.com/about → acme.com) before matching. Answers "# created" (201) or "# updated" (200). custom is merged key by key; a custom key sent as null is removed.
         */
        post: operations["companies.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/companies/{company_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Fetch one company by id or handle. */
        get: operations["companies.get"];
        put?: never;
        post?: never;
        /**
         * Delete a company in two steps: the first call answers confirmation_required with a token; repeat with ?confirm=<token>.
         * @description Deleted companies are hidden and restorable for 30 days (POST /companies/{id}/restore). Records that refer to it keep the reference and list it in deleted_refs; the token is bound to this record, its version and your token, and expires in 10 minutes.
         */
        delete: operations["companies.delete"];
        options?: never;
        head?: never;
        /**
         * Change some fields of a company; omitted fields are kept, null clears a field.
         * @description Send If-Match: W/"<version>" (the ETag of your last read) or "version" in the body to have the change refused with 409 version_conflict if the company changed since.
         */
        patch: operations["companies.update"];
        trace?: never;
    };
    "/companies/{company_id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Field-level history of a company, newest first: who changed which field from what to what, when, and how.
         * @description One entry per applied change: at, actor (agent/… or user/…), token_name, operation (and tool_name), the record version it produced, changes field → {before, after}, reason, request_id, and operation_id when a background operation (batch, bulk change, CSV import) made it. Deleted records keep their history. Undo an entry with operations.revert (POST /audit/{id}/revert), a whole request with request_id, a background operation with operation_id. Pages with limit= and cursor=.
         */
        get: operations["companies.history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/companies/{company_id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore a deleted company (within 30 days of its deletion). */
        post: operations["companies.restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/companies/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create or update many companies in one call (an agent: up to the policy's bulk_deny_above, 1000 by default); runs in the background (operation op_…).
         * @description Each item is what companies.create takes and is handled exactly as that call would (validation, upsert, plan caps, policy, audit). Answers at once with data.operation_id; poll operations.get_status for progress (done/total) and per-item errors. An agent's batch above bulk_approval_above waits for approval; above bulk_deny_above it is denied (bulk.too_large). At most 10000 items per call for anyone.
         */
        post: operations["companies.batch_upsert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/companies/bulk-delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete every company a query matches (up to 10000), in two steps like a single delete; runs in the background.
         * @description The first call answers confirmation_required with the number of matches and a token bound to this query, its match count and your token; repeat with confirm. Deleted records stay restorable for 30 days. An agent's confirmed bulk delete follows the policy's agent_deletes and bulk thresholds.
         */
        post: operations["companies.bulk_delete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/companies/bulk-update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Apply the same field changes to every company a query matches (up to 10000); runs in the background.
         * @description where and search are the list query (as in GET /companies); changes are the fields, as for companies.update. Each record is updated exactly as companies.update would (policy, audit); answers with an operation_id.
         */
        post: operations["companies.bulk_update"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/companies/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import companies from CSV text (a header row, up to 10000 rows); runs in the background.
         * @description Headers are matched to fields automatically (case and spacing ignored, common spellings such as "E-mail" or "Full Name") or by map {"header": "field"}; custom.<key> columns fill custom; tags as "a;b". Rows upsert by domain. Rows that cannot be read come back at once in data.rejected; each accepted row then runs as companies.create would, and operations.get_status reports per-row errors by index (data.rows gives each index's file row).
         */
        post: operations["companies.import_csv"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List or query contacts: filters field=[op:]value, search=, sort=, limit=, cursor=.
         * @description Filters: id name email phone title stage company_id tags follow_up_at follow_up_note do_not_contact owner version created_at updated_at custom.<key> company.id company.name company.domain company.industry company.size company.website company.tags company.created_at company.updated_at company.custom.<key>. Operators: eq ne gt gte lt lte like in is not. search= looks in name, email, title and follow_up_note. When more rows remain the answer carries a cursor ("# next:" in text, next_cursor in JSON); pass it back as cursor= with the same other parameters.
         */
        get: operations["contacts.search"];
        put?: never;
        /**
         * Create a contact, or update the live contact with the same email (upsert; fields you send are merged).
         * @description Answers "# created" (201) or "# updated" (200). custom is merged key by key; a custom key sent as null is removed. Agents cannot change the sensitive fields of an existing contact here (default: email, phone, do_not_contact, owner; see GET /policy), not even fill an empty one unless the policy agents_fill_empty_sensitive_fields is on: such a write is denied with reason contact.sensitive_field — use contacts.propose_update. A new contact may carry any field.
         */
        post: operations["contacts.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Fetch one contact by id or handle. */
        get: operations["contacts.get"];
        put?: never;
        post?: never;
        /**
         * Delete a contact in two steps: the first call answers confirmation_required with a token; repeat with ?confirm=<token>.
         * @description Deleted contacts are hidden and restorable for 30 days (POST /contacts/{id}/restore). Records that refer to it keep the reference and list it in deleted_refs; the token is bound to this record, its version and your token, and expires in 10 minutes.
         */
        delete: operations["contacts.delete"];
        options?: never;
        head?: never;
        /**
         * Change some fields of a contact; omitted fields are kept, null clears a field.
         * @description Agents cannot change the sensitive fields of an existing contact here (default: email, phone, do_not_contact, owner; see GET /policy), not even fill an empty one unless the policy agents_fill_empty_sensitive_fields is on: such a write is denied with reason contact.sensitive_field — use contacts.propose_update. A new contact may carry any field. Send If-Match: W/"<version>" (the ETag of your last read) or "version" in the body to have the change refused with 409 version_conflict if the contact changed since.
         */
        patch: operations["contacts.update"];
        trace?: never;
    };
    "/contacts/{contact_id}/activities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log an activity on a contact: {"kind":"call|email|meeting|note|task","body":...}.
         * @description occurred_at defaults to now; deal_id optionally ties it to a live deal.
         */
        post: operations["activities.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}/context": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A compact brief on a contact for a prompt: company, due follow-ups, open deals and tasks, last activities.
         * @description max_items caps each section (default 5); max_chars caps the text answer (default 4000): the least important items (oldest activities, then later tasks and deals) are left out first and counted in a "# truncated" line. The JSON answer carries the same items. Each section says where to fetch more.
         */
        get: operations["contacts.get_context"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase a person at their request: their personal values are removed everywhere; a tombstone stays (admin; step-up).
         * @description Removes the contact's name, email, phone, title, notes, tags and custom values from the record, its history (audit changes), change-feed events, webhook delivery logs, proposals, activities' notes, the search index and stored idempotent answers. The row stays as a tombstone (id, workspace, timestamps, erased_at): counts, references and the audit chain stay intact, and reads of it answer 410 erased. Cannot be undone. The first call answers escalation_required and emails a code to your human; repeat with ?code=<code> (docs/lifecycle.md).
         */
        post: operations["contacts.erase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Everything held about a person, as JSON: the record, its history, activities, tasks, deals, proposals, events and webhook deliveries (admin).
         * @description For a data subject access request. Works on deleted contacts too (and on an erased one: only its tombstone is left). Ask with Accept: application/json (or ?format=json) for the document; text shows a summary.
         */
        get: operations["contacts.export_person"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Field-level history of a contact, newest first: who changed which field from what to what, when, and how.
         * @description One entry per applied change: at, actor (agent/… or user/…), token_name, operation (and tool_name), the record version it produced, changes field → {before, after}, reason, request_id, and operation_id when a background operation (batch, bulk change, CSV import) made it. Deleted records keep their history. Undo an entry with operations.revert (POST /audit/{id}/revert), a whole request with request_id, a background operation with operation_id. Pages with limit= and cursor=.
         */
        get: operations["contacts.history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge contacts into this one: references move here, the others are soft-deleted.
         * @description The survivor (this contact) keeps its own values; each of its empty fields takes the first non-empty value among the merged contacts, in the order of "from". Tags are united; custom keys the survivor lacks are added (first one wins). Deals, tasks and activities of the merged contacts move to the survivor. Every merged contact gets an audit row naming the survivor. An agent's merge that would change a sensitive field of the survivor (see GET /policy) waits for a human's approval (outcome proposed, contact.sensitive_field).
         */
        post: operations["contacts.merge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}/proposals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Propose a change to a contact: changes to sensitive fields wait for a human (outcome "proposed", 202); others apply at once.
         * @description Input: contact_id, changes (the fields to change, as for contacts.update), and reason (shown to the human). On "proposed", poll proposals.get_status with data.id until the status is applied, rejected, stale or failed. The change is applied to the contact as it is when approved; if a proposed field changed meanwhile the proposal becomes stale instead.
         */
        post: operations["contacts.propose_update"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore a deleted contact (within 30 days of its deletion). */
        post: operations["contacts.restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create or update many contacts in one call (an agent: up to the policy's bulk_deny_above, 1000 by default); runs in the background (operation op_…).
         * @description Each item is what contacts.create takes and is handled exactly as that call would (validation, upsert, plan caps, policy, audit). Answers at once with data.operation_id; poll operations.get_status for progress (done/total) and per-item errors. An agent's batch above bulk_approval_above waits for approval; above bulk_deny_above it is denied (bulk.too_large). At most 10000 items per call for anyone.
         */
        post: operations["contacts.batch_upsert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/bulk-delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete every contact a query matches (up to 10000), in two steps like a single delete; runs in the background.
         * @description The first call answers confirmation_required with the number of matches and a token bound to this query, its match count and your token; repeat with confirm. Deleted records stay restorable for 30 days. An agent's confirmed bulk delete follows the policy's agent_deletes and bulk thresholds.
         */
        post: operations["contacts.bulk_delete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/bulk-update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Apply the same field changes to every contact a query matches (up to 10000); runs in the background.
         * @description where and search are the list query (as in GET /contacts); changes are the fields, as for contacts.update. Each record is updated exactly as contacts.update would (policy, audit); answers with an operation_id.
         */
        post: operations["contacts.bulk_update"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/duplicates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Groups of contacts that look like the same person, each with its reason.
         * @description Reasons: same_email (lower-cased, +tag dropped, Gmail dots ignored), same_phone (digits only, at least 7), similar_name (same company, names equal ignoring ASCII case, spaces and . , - ' _). Contacts are listed oldest first; merge a group with POST /contacts/{oldest}/merge {"from":[the others]}. Pages with limit= and cursor=.
         */
        get: operations["contacts.duplicates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import contacts from CSV text (a header row, up to 10000 rows); runs in the background.
         * @description Headers are matched to fields automatically (case and spacing ignored, common spellings such as "E-mail" or "Full Name") or by map {"header": "field"}; custom.<key> columns fill custom; tags as "a;b". Rows upsert by email. company_domain links to the company with that domain. Rows that cannot be read come back at once in data.rejected; each accepted row then runs as contacts.create would, and operations.get_status reports per-row errors by index (data.rows gives each index's file row).
         */
        post: operations["contacts.import_csv"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List or query deals: filters field=[op:]value, search=, sort=, limit=, cursor=.
         * @description Filters: id title amount_cents currency stage status contact_id company_id expected_close_at closed_at follow_up_at follow_up_note tags version created_at updated_at custom.<key>. Operators: eq ne gt gte lt lte like in is not. search= looks in title and follow_up_note. When more rows remain the answer carries a cursor ("# next:" in text, next_cursor in JSON); pass it back as cursor= with the same other parameters.
         */
        get: operations["deals.search"];
        put?: never;
        /**
         * Create a deal: title, amount_cents + currency, stage, status, contact_id, company_id, …
         * @description amount_cents is an integer in the currency's minor unit (cents); currency is an ISO 4217 code and is required with an amount. status is open, won or lost (closed_at is set when it becomes won or lost). contact_id and company_id must name live records of this workspace.
         */
        post: operations["deals.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deals/{deal_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Fetch one deal by id or handle. */
        get: operations["deals.get"];
        put?: never;
        post?: never;
        /**
         * Delete a deal in two steps: the first call answers confirmation_required with a token; repeat with ?confirm=<token>.
         * @description Deleted deals are hidden and restorable for 30 days (POST /deals/{id}/restore). Records that refer to it keep the reference and list it in deleted_refs; the token is bound to this record, its version and your token, and expires in 10 minutes.
         */
        delete: operations["deals.delete"];
        options?: never;
        head?: never;
        /**
         * Change some fields of a deal; omitted fields are kept, null clears a field.
         * @description E.g. {"stage":"won","status":"won"}; setting status back to open clears closed_at. Under the policy approve_deal_close an agent's move to won or lost becomes a proposal (deal.close_requires_approval); other stage moves apply at once. Send If-Match: W/"<version>" (the ETag of your last read) or "version" in the body to have the change refused with 409 version_conflict if the deal changed since.
         */
        patch: operations["deals.update"];
        trace?: never;
    };
    "/deals/{deal_id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Field-level history of a deal, newest first: who changed which field from what to what, when, and how.
         * @description One entry per applied change: at, actor (agent/… or user/…), token_name, operation (and tool_name), the record version it produced, changes field → {before, after}, reason, request_id, and operation_id when a background operation (batch, bulk change, CSV import) made it. Deleted records keep their history. Undo an entry with operations.revert (POST /audit/{id}/revert), a whole request with request_id, a background operation with operation_id. Pages with limit= and cursor=.
         */
        get: operations["deals.history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deals/{deal_id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore a deleted deal (within 30 days of its deletion). */
        post: operations["deals.restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deals/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create many deals in one call (an agent: up to the policy's bulk_deny_above, 1000 by default); runs in the background (operation op_…).
         * @description Each item is what deals.create takes and is handled exactly as that call would (validation, plan caps, policy, audit). Answers at once with data.operation_id; poll operations.get_status for progress (done/total) and per-item errors. An agent's batch above bulk_approval_above waits for approval; above bulk_deny_above it is denied (bulk.too_large). At most 10000 items per call for anyone.
         */
        post: operations["deals.batch_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deals/bulk-delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete every deal a query matches (up to 10000), in two steps like a single delete; runs in the background.
         * @description The first call answers confirmation_required with the number of matches and a token bound to this query, its match count and your token; repeat with confirm. Deleted records stay restorable for 30 days. An agent's confirmed bulk delete follows the policy's agent_deletes and bulk thresholds.
         */
        post: operations["deals.bulk_delete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deals/bulk-update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Apply the same field changes to every deal a query matches (up to 10000); runs in the background.
         * @description where and search are the list query (as in GET /deals); changes are the fields, as for deals.update. Each record is updated exactly as deals.update would (policy, audit); answers with an operation_id.
         */
        post: operations["deals.bulk_update"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deals/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import deals from CSV text (a header row, up to 10000 rows); runs in the background.
         * @description Headers are matched to fields automatically (case and spacing ignored, common spellings such as "E-mail" or "Full Name") or by map {"header": "field"}; custom.<key> columns fill custom; tags as "a;b". contact_email links to the contact with that email. company_domain links to the company with that domain. Rows that cannot be read come back at once in data.rejected; each accepted row then runs as deals.create would, and operations.get_status reports per-row errors by index (data.rows gives each index's file row).
         */
        post: operations["deals.import_csv"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The change feed: every change in the workspace in order, after a resumable cursor (since=).
         * @description Types: <kind>.created|updated|deleted|restored (contact, company, deal, task, activity), proposal.created|applied|rejected (changes.decision_note is the reason)|stale|failed|edited|expired, policy.updated, and other operations by name. Start with since=0 (or omit it), then pass next_cursor back as since=; the answer always carries a cursor, even when empty, so you can poll with it.
         */
        get: operations["events.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/human/invites/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept a billing-owner invite: without code, emails a sign-in code; with it, makes you billing owner and admin.
         * @description Step 1: {"invite":"hi_…"} → a 6-digit code is emailed to the invited address (202). Step 2: {"invite":"hi_…","code":"123456"} → you become billing owner and admin, and get a token (shown once). No auth needed.
         */
        post: operations["humans.accept_invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/human/invites/inspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Show what an invite link offers (workspace, inviting agent, status) before accepting. No auth needed.
         * @description The secret travels in the body, not the URL. Used by the /human page.
         */
        post: operations["humans.get_invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/objects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every object type of the workspace, built-in and custom, with its fields.
         * @description Built-in kinds (contacts, companies, deals, tasks, activities) list their own columns and the typed custom.<key> fields declared on them; custom types list their fields. Archived types and fields are shown with status=archived (restorable). One type with its fields: GET /objects/{type}.
         */
        get: operations["objects.list"];
        put?: never;
        /**
         * Define a custom object type (projects, tickets…) with its typed fields.
         * @description Field types: text, long_text, number, money ({amount_cents, currency}), date, datetime, boolean, select (options), multi_select, email, url, phone, relation (relation: {to, many}). Each may be required, unique (text, number, email, url, phone), indexed, or defaulted. Schema changes are governed: an agent’s change is a proposal a person approves in the console (policy schema_changes: require_approval by default; allow applies it, deny refuses it); a workspace admin’s change applies at once. Send ?dry_run=true to see the decision and the migration preview (records affected, values that would not convert) first.
         */
        post: operations["objects.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/objects/{object}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One object type with its fields (built-in or custom). */
        get: operations["objects.get"];
        put?: never;
        post?: never;
        /** Archive a custom object type: it leaves the schema with its fields; it can be restored. */
        delete: operations["objects.archive"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/objects/{object}/fields": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a typed field to a custom type, or declare a typed custom.<key> on contacts, companies or deals.
         * @description On a built-in kind the field types the existing custom.<key> values: from then on a write must give a value of that type. The migration preview counts the records that hold the key and lists those whose value would not convert; such a declaration is refused until they are fixed. Schema changes are governed: an agent’s change is a proposal a person approves in the console (policy schema_changes: require_approval by default; allow applies it, deny refuses it); a workspace admin’s change applies at once. Send ?dry_run=true to see the decision and the migration preview (records affected, values that would not convert) first.
         */
        post: operations["objects.add_field"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/objects/{object}/fields/{field}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Archive a field: it leaves the schema, its values are kept and it can be restored. */
        delete: operations["objects.archive_field"];
        options?: never;
        head?: never;
        /**
         * Change a field's label, requiredness, default, choices or index (its type stays).
         * @description Choices of a select may be added, never removed while records may hold them. A type change is not offered yet: add a new field, copy the values, archive the old one. Schema changes are governed: an agent’s change is a proposal a person approves in the console (policy schema_changes: require_approval by default; allow applies it, deny refuses it); a workspace admin’s change applies at once. Send ?dry_run=true to see the decision and the migration preview (records affected, values that would not convert) first.
         */
        patch: operations["objects.update_field"];
        trace?: never;
    };
    "/objects/{object}/fields/{field}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore an archived field with its values. */
        post: operations["objects.restore_field"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/objects/{object}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore an archived custom object type with its fields. */
        post: operations["objects.restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/operations/{operation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Progress (done/total), result and per-item errors of a background operation. */
        get: operations["operations.get_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/operations/revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Undo a change (audit_id), a request (request_id), a background operation (operation_id: a batch, bulk change or import) or a token's window (token_id, from, to): a dry run unless "apply": true.
         * @description Without "apply": true nothing changes: the answer lists each field to restore (target, field, now → restore), each conflict, and what was skipped. Creates are undone by deleting (restorable for 30 days), deletes by restoring, updates by writing the before-values back. A field that changed again since (its value now is not the one the change left, or a later change touched it) is not overwritten: it is reported as a conflict (now, left, restore) and the rest applies. The revert is audited as operations.revert with the audit ids it undid, so it can be reverted in turn (request_id of the revert). Agents meet the same policy as for the writes themselves: deletes follow agent_deletes, sensitive contact fields and large reverts need approval. Reverting another principal's token window needs an admin. Also POST /audit/{audit_id}/revert.
         */
        post: operations["operations.revert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace policy: sensitive contact fields, agents' deletes, bulk thresholds, field holds, deal-close approval, proposal expiry, and auto-approve switches (who turned each on, when). */
        get: operations["policy.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the workspace policy (admins and the billing owner); omitted settings are kept, null restores a default. */
        patch: operations["policy.update"];
        trace?: never;
    };
    "/policy/auto-approve/{operation}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Switch auto-approve on or off for one kind of proposal (the operation's name), admins only; the policy records who turned it on and when.
         * @description While on, a change of that operation that would wait for a human is applied at once instead, answered and audited with reason code policy.auto_approved (field-level holds of <kind>.update included). Proposals already pending stay pending. billing.* operations are never auto-approved. GET /policy shows auto_approve.
         */
        put: operations["policy.set_auto_approve"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policy/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What you may do right now, what needs a human’s approval, and why — per tool, with reason codes. */
        get: operations["policy.explain_capabilities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/proposals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List proposals, newest first; ?status=pending for what waits for a human, ?agent_id= for one agent's. */
        get: operations["proposals.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/proposals/{proposal_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The status of a proposal: pending, applied, rejected, stale (its target changed), failed or expired.
         * @description Poll this after an outcome of "proposed" until the status is final. data.result holds the applied record, or the reason it was not applied; a rejection carries the person's reason in decision_note; data.edits shows values the person changed before approving; expires_at says when an undecided proposal expires.
         */
        get: operations["proposals.get_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/proposals/{proposal_id}/decide": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve (optionally with edits) or reject with a reason a pending proposal (a person: admin or billing owner; needs an emailed step-up code).
         * @description Over the API the first call answers escalation_required and emails a code; repeat the same request with ?code=<code>. On approval the proposed operation runs once, against the record as it is now: if a proposed field changed since the proposal, it becomes stale instead of overwriting. edits {field: value} replace proposed values before applying (validated as the operation validates them; the proposal and the audit keep them). note is the reason the agent reads. An expired proposal answers proposal_expired and is never applied.
         */
        post: operations["proposals.decide"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/proposals/decide": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or reject several proposals at once: by ids, or every pending proposal of one agent (optionally of one operation).
         * @description Up to 100 proposals. Each is decided exactly once in its own savepoint, as proposals.decide would decide it (stale, failed or expired ones are reported, not applied); data.results lists each outcome. Unknown ids answer not_found before anything is decided. Same step-up as proposals.decide.
         */
        post: operations["proposals.decide_many"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reminders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What is due: contact and deal follow-ups and open tasks due now or overdue (?days=N looks ahead).
         * @description Oldest first; each line starts with the record handle and carries due, overdue and the follow-up fields. Clear a follow-up by PATCHing follow_up_at to null; complete a task with tasks.complete.
         */
        get: operations["reminders.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/system/async-health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The background queue of this workspace: depth, oldest pending operation's age, failures in 24 h. */
        get: operations["system.async_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List or query tasks: filters field=[op:]value, search=, sort=, limit=, cursor=.
         * @description Filters: id title notes due_at status completed_at contact_id deal_id company_id assignee tags version created_at updated_at custom.<key>. Operators: eq ne gt gte lt lte like in is not. search= looks in title and notes. When more rows remain the answer carries a cursor ("# next:" in text, next_cursor in JSON); pass it back as cursor= with the same other parameters.
         */
        get: operations["tasks.list"];
        put?: never;
        /**
         * Create a task: title, due_at, notes, links to a contact/deal/company, assignee (agt_… or usr_…).
         * @description status starts open; complete it with tasks.complete (POST /tasks/{id}/complete) or PATCH status to done or cancelled. Links must name live records of this workspace; an agent assignee must be an agent of it. An agent's task assigned to a person (usr_…, a member), or reassigned to one, waits for a human's approval (outcome proposed, task.person_assignee_requires_approval; policy approve_agent_tasks_for_people).
         */
        post: operations["tasks.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Fetch one task by id or handle. */
        get: operations["tasks.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change some fields of a task; omitted fields are kept, null clears a field.
         * @description An agent's task assigned to a person (usr_…, a member), or reassigned to one, waits for a human's approval (outcome proposed, task.person_assignee_requires_approval; policy approve_agent_tasks_for_people). Send If-Match: W/"<version>" (the ETag of your last read) or "version" in the body to have the change refused with 409 version_conflict if the task changed since.
         */
        patch: operations["tasks.update"];
        trace?: never;
    };
    "/tasks/{task_id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark a task done (completed_at is set); completing a done task changes nothing. */
        post: operations["tasks.complete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{task_id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Field-level history of a task, newest first: who changed which field from what to what, when, and how.
         * @description One entry per applied change: at, actor (agent/… or user/…), token_name, operation (and tool_name), the record version it produced, changes field → {before, after}, reason, request_id, and operation_id when a background operation (batch, bulk change, CSV import) made it. Deleted records keep their history. Undo an entry with operations.revert (POST /audit/{id}/revert), a whole request with request_id, a background operation with operation_id. Pages with limit= and cursor=.
         */
        get: operations["tasks.history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your active tokens (sessions): name, workspace, scopes, created, last used. Never the secret.
         * @description Your own tokens in every workspace. Admins may pass all=true for every token of the current workspace (agents and members), to find and revoke a session.
         */
        get: operations["tokens.list"];
        put?: never;
        /**
         * Mint a fresh token for yourself in this workspace, optionally narrower (fewer scopes, shorter life).
         * @description Use it to give a sub-agent a read-only token, or to rotate your own. Scopes cannot exceed this token's. The secret is shown once.
         */
        post: operations["tokens.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token (log a session out) at once. Your own tokens; admins also any token of this workspace. */
        delete: operations["tokens.revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's webhook endpoints with their status (active | failing). Never the secret. */
        get: operations["webhooks.list"];
        put?: never;
        /**
         * Register a webhook endpoint (admins): an https URL and the event types to send; the signing secret is shown once.
         * @description events takes change-feed types (see events.list): exact (contact.created), a prefix (contact.*) or * for all. Each matching change is POSTed at least once as JSON {type, timestamp, data} with Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature = v1,<base64 HMAC-SHA256 of "id.timestamp.body"> keyed with the base64 part of the whsec_ secret). Failed deliveries are retried with backoff for about a day. Private, loopback, link-local and metadata addresses are refused.
         */
        post: operations["webhooks.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook endpoint: URL, event types, status, failure streak. Never the secret. */
        get: operations["webhooks.get"];
        put?: never;
        post?: never;
        /** Remove a webhook endpoint and its delivery log; nothing more is sent to it. */
        delete: operations["webhooks.delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A webhook's delivery log, newest first: event, attempts, last status code, error, duration, times.
         * @description status filters by pending | succeeded | failed. A pending delivery shows when it is tried next; last_response holds the first bytes of the receiver's answer.
         */
        get: operations["webhooks.list_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhook_id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a failing webhook endpoint: its waiting deliveries are sent now.
         * @description An endpoint turns failing when a delivery used all 8 attempts with no success in between; while failing, new events still queue for it but nothing is sent. Fix the receiver, then enable it; deliveries that gave up can be sent again with webhooks.replay.
         */
        post: operations["webhooks.enable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhook_id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send again: one delivery (delivery_id), or every matching event after a feed number (since_seq) or time (since).
         * @description A replay queues new deliveries with the same webhook-id as the original event, so a receiver that de-duplicates on it stays correct. since_seq/since queue up to 1000 events per call; when more remain, the answer gives next_since_seq to continue with.
         */
        post: operations["webhooks.replay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhook_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a signed webhook.test ping to the endpoint now and report its answer (status, error, duration).
         * @description The ping goes through the same address checks, signature and timeout as real deliveries, but is not queued, retried or logged: use it to check a receiver and its signature verification.
         */
        post: operations["webhooks.test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who you are, the workspace behind this token, your role and scopes, the plan, and usage against its caps.
         * @description Usage lines read "contacts: 12 / 1000": check them before bulk-creating; past a cap creates fail.
         */
        get: operations["account.whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the workspaces you belong to, with your role in each; current=true marks this token's. */
        get: operations["workspaces.list"];
        put?: never;
        /**
         * Create a workspace (sandbox plan); you become its admin and billing owner.
         * @description To work in it, mint a token for it with workspaces.mint_token (POST /workspaces/{id}/tokens).
         */
        post: operations["workspaces.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspaces/{workspace_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete this workspace and all its data, at once and for good (admin; needs an emailed step-up code).
         * @description The first call answers escalation_required and emails a code to your human; repeat the same request with ?code=<code> (or X-Escalation-Code). Every record, token, member, invite and audit row goes, in one transaction.
         */
        delete: operations["workspaces.delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspaces/{workspace_id}/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Invite someone by email as member or admin (admin only); they join the next time they sign in.
         * @description The person is emailed sign-in instructions. Inviting as admin needs a step-up code (escalation_required). Pending invites count against the plan's members cap; a new invite for the same email replaces the old one.
         */
        post: operations["members.invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspaces/{workspace_id}/invites/{invite_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Withdraw a pending invite (admin only). */
        delete: operations["members.revoke_invite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspaces/{workspace_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the members of a workspace (with roles) and its pending invites. */
        get: operations["members.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspaces/{workspace_id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a member from the workspace (admin only); their tokens for it stop working at once. */
        delete: operations["members.remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspaces/{workspace_id}/members/{user_id}/role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change a member's role to admin or member (admin only; promoting needs a step-up code).
         * @description Promoting answers escalation_required first and emails a code; repeat with ?code=<code>. The last admin cannot be demoted, nor can the billing owner.
         */
        post: operations["members.set_role"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workspaces/{workspace_id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a token for another workspace you belong to ("switch"); send it instead of this one.
         * @description Scopes default to what your role there allows. Needs a full session (a token with every scope your role allows): a narrowed token cannot switch workspaces. The secret is shown once.
         */
        post: operations["workspaces.mint_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A activity record. */
        ActivityRecord: {
            body?: string;
            contact_id?: string;
            /** Format: date-time */
            created_at?: string;
            created_by?: unknown;
            deal_id?: string | null;
            /** @description handles of referenced records that are deleted (restorable), shown only when there are some */
            deleted_refs?: string[];
            /** @description kind/id, e.g. contact/c_…: how answers and agents name a record */
            handle: string;
            id: string;
            /** @enum {string} */
            kind?: "call" | "email" | "meeting" | "note" | "task";
            occurred_at?: string;
            /** @description send it back as expected_version to update safely */
            version?: number;
        };
        /** @description A company record. */
        CompanyRecord: {
            /** Format: date-time */
            created_at?: string;
            custom?: {
                [key: string]: components["schemas"]["JsonValue"];
            } | null;
            /** @description handles of referenced records that are deleted (restorable), shown only when there are some */
            deleted_refs?: string[];
            domain?: string | null;
            /** @description kind/id, e.g. contact/c_…: how answers and agents name a record */
            handle: string;
            id: string;
            industry?: string | null;
            name?: string | null;
            size?: string | null;
            tags?: string[] | null;
            /** Format: date-time */
            updated_at?: string;
            /** @description send it back as expected_version to update safely */
            version?: number;
            website?: string | null;
        };
        /** @description A contact record. */
        ContactRecord: {
            company_id?: string | null;
            /** Format: date-time */
            created_at?: string;
            custom?: {
                [key: string]: components["schemas"]["JsonValue"];
            } | null;
            /** @description handles of referenced records that are deleted (restorable), shown only when there are some */
            deleted_refs?: string[];
            do_not_contact?: boolean;
            email?: string | null;
            follow_up_at?: string | null;
            follow_up_note?: string | null;
            /** @description kind/id, e.g. contact/c_…: how answers and agents name a record */
            handle: string;
            id: string;
            name?: string | null;
            owner?: string | null;
            phone?: string | null;
            stage?: string | null;
            tags?: string[] | null;
            title?: string | null;
            /** Format: date-time */
            updated_at?: string;
            /** @description send it back as expected_version to update safely */
            version?: number;
        };
        /** @description A deal record. */
        DealRecord: {
            amount_cents?: number | null;
            closed_at?: string | null;
            company_id?: string | null;
            contact_id?: string | null;
            /** Format: date-time */
            created_at?: string;
            currency?: string | null;
            custom?: {
                [key: string]: components["schemas"]["JsonValue"];
            } | null;
            /** @description handles of referenced records that are deleted (restorable), shown only when there are some */
            deleted_refs?: string[];
            expected_close_at?: string | null;
            follow_up_at?: string | null;
            follow_up_note?: string | null;
            /** @description kind/id, e.g. contact/c_…: how answers and agents name a record */
            handle: string;
            id: string;
            stage?: string | null;
            /** @enum {string} */
            status?: "open" | "won" | "lost";
            tags?: string[] | null;
            title?: string;
            /** Format: date-time */
            updated_at?: string;
            /** @description send it back as expected_version to update safely */
            version?: number;
        };
        /** @description The AgentOnly envelope every JSON answer has. */
        Envelope: {
            data: unknown;
            explanation: {
                reason_codes: string[];
                summary: string;
            };
            idempotency_key: string | null;
            next_actions: {
                tool_name: string;
                when: string;
            }[];
            /** @description On lists: send it as cursor= for the next page; null on the last page. */
            next_cursor?: string | null;
            operation_id: string | null;
            /** @enum {string} */
            outcome: "applied" | "proposed" | "denied" | "error";
            policy: {
                /** @enum {string} */
                decision: "allow" | "require_approval" | "deny";
                reason_code: string;
            };
            request_id: string;
            warnings: {
                code: string;
                field?: string;
                message: string;
                proposal_id?: string;
            }[];
        };
        Error: components["schemas"]["Envelope"] & {
            error: {
                /** @enum {string} */
                code: "invalid_input" | "invalid_json" | "invalid_query" | "invalid_cursor" | "auth_required" | "invalid_token" | "token_expired" | "invalid_code" | "invite_invalid" | "forbidden" | "scope_insufficient" | "plan_limit_reached" | "escalation_required" | "approval_requires_human" | "erased" | "not_found" | "method_not_allowed" | "conflict" | "proposal_expired" | "idempotency_key_required" | "idempotency_key_in_use" | "idempotency_key_reused" | "version_conflict" | "confirmation_required" | "payload_too_large" | "unsupported" | "rate_limited" | "too_many_attempts" | "internal" | "unavailable";
                details?: unknown;
                /** @description What to do about it. */
                hint: string;
                message: string;
            };
            /** @constant */
            outcome?: "error";
        };
        /** @description Any JSON value (a custom field value). */
        JsonValue: JsonValue;
        /** @description A task record. */
        TaskRecord: {
            assignee?: string | null;
            company_id?: string | null;
            completed_at?: string | null;
            contact_id?: string | null;
            /** Format: date-time */
            created_at?: string;
            custom?: {
                [key: string]: components["schemas"]["JsonValue"];
            } | null;
            deal_id?: string | null;
            /** @description handles of referenced records that are deleted (restorable), shown only when there are some */
            deleted_refs?: string[];
            due_at?: string | null;
            /** @description kind/id, e.g. contact/c_…: how answers and agents name a record */
            handle: string;
            id: string;
            notes?: string | null;
            /** @enum {string} */
            status?: "open" | "done" | "cancelled";
            tags?: string[] | null;
            title?: string;
            /** Format: date-time */
            updated_at?: string;
            /** @description send it back as expected_version to update safely */
            version?: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "activities.list": {
        parameters: {
            query?: {
                contact?: string;
                contact_id?: string;
                cursor?: string;
                deal?: string;
                /** @description Related records to include, comma-separated: contact, deal. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each activity (plus handle and id), comma-separated, to save tokens: id, contact_id, deal_id, kind, occurred_at, body, created_by, version, created_at, deleted_refs, contact.<field>, deal.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
                /** @description Filters as query parameters of their own, field=value or field=<op>:value (e.g. stage=lead, amount_cents=gte:1000, company.domain=acme.com, custom.tier=gold); GET /help explains the operators. */
                filters?: {
                    [key: string]: string;
                };
                limit?: number;
                search?: string;
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description activities.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: components["schemas"]["ActivityRecord"][];
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "lifecycle.sweep": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description lifecycle.sweep: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "account.bootstrap": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @default llm_agent */
                    agent_kind?: string;
                    agent_name: string;
                    intended_use?: string;
                    /** @default sandbox */
                    requested_plan?: string;
                    workspace_name?: string;
                };
            };
        };
        responses: {
            /** @description account.bootstrap: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "humans.invite_billing_owner": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    agent_id: string;
                    human_email: string;
                    human_name?: string;
                    workspace_id: string;
                };
            };
        };
        responses: {
            /** @description humans.invite_billing_owner: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "audit.list": {
        parameters: {
            query?: {
                actor?: string;
                cursor?: string;
                limit?: number;
                operation?: string;
                since?: string;
                target?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description audit.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "auth.request_code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    email: string;
                };
            };
        };
        responses: {
            /** @description auth.request_code: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "auth.verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    code: string;
                    email: string;
                    /** @default default */
                    token_name?: string;
                };
            };
        };
        responses: {
            /** @description auth.verify: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "billing.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description billing.get: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "billing.set_budget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    currency?: string;
                    monthly_budget_cents: number | null;
                };
            };
        };
        responses: {
            /** @description billing.set_budget: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "billing.request_upgrade": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * @default production
                     * @constant
                     */
                    plan?: "production";
                };
            };
        };
        responses: {
            /** @description billing.request_upgrade: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.search": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description Related records to include, comma-separated: contacts, open_deals. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each company (plus handle and id), comma-separated, to save tokens: id, name, domain, industry, size, website, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
                /** @description Filters as query parameters of their own, field=value or field=<op>:value (e.g. stage=lead, amount_cents=gte:1000, company.domain=acme.com, custom.tier=gold); GET /help explains the operators. */
                filters?: {
                    [key: string]: string;
                };
                limit?: number;
                search?: string;
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description companies.search: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: components["schemas"]["CompanyRecord"][];
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.create": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contacts, open_deals. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each company (plus handle and id), comma-separated, to save tokens: id, name, domain, industry, size, website, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    custom?: {
                        [key: string]: components["schemas"]["JsonValue"];
                    } | null;
                    domain?: string | null;
                    industry?: string | null;
                    name?: string | null;
                    size?: string | null;
                    tags?: string[] | null;
                    website?: string | null;
                };
            };
        };
        responses: {
            /** @description companies.create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The company as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["CompanyRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.get": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contacts, open_deals. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each company (plus handle and id), comma-separated, to save tokens: id, name, domain, industry, size, website, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                company_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description companies.get: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: components["schemas"]["CompanyRecord"];
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.delete": {
        parameters: {
            query?: {
                confirm?: string;
                expected_version?: number | string;
                version?: number | string;
            };
            header?: never;
            path: {
                company_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description companies.delete: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.update": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contacts, open_deals. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each company (plus handle and id), comma-separated, to save tokens: id, name, domain, industry, size, website, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                company_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    company_id: string;
                    custom?: {
                        [key: string]: components["schemas"]["JsonValue"];
                    } | null;
                    domain?: string | null;
                    expected_version?: number | string;
                    industry?: string | null;
                    name?: string | null;
                    size?: string | null;
                    tags?: string[] | null;
                    version?: number | string;
                    website?: string | null;
                };
            };
        };
        responses: {
            /** @description companies.update: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The company as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["CompanyRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.history": {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                company_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description companies.history: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.restore": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contacts, open_deals. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each company (plus handle and id), comma-separated, to save tokens: id, name, domain, industry, size, website, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                company_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    company_id: string;
                };
            };
        };
        responses: {
            /** @description companies.restore: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The company as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["CompanyRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.batch_upsert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    items: {
                        [key: string]: unknown;
                    }[];
                };
            };
        };
        responses: {
            /** @description companies.batch_upsert: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.bulk_delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    confirm?: string;
                    search?: string;
                    where?: {
                        [key: string]: (string | number | boolean) | (string | number | boolean)[];
                    };
                };
            };
        };
        responses: {
            /** @description companies.bulk_delete: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.bulk_update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    changes: {
                        custom?: {
                            [key: string]: components["schemas"]["JsonValue"];
                        } | null;
                        domain?: string | null;
                        industry?: string | null;
                        name?: string | null;
                        size?: string | null;
                        tags?: string[] | null;
                        website?: string | null;
                    };
                    search?: string;
                    where?: {
                        [key: string]: (string | number | boolean) | (string | number | boolean)[];
                    };
                };
            };
        };
        responses: {
            /** @description companies.bulk_update: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "companies.import_csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    csv: string;
                    map?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description companies.import_csv: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.search": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description Related records to include, comma-separated: company, open_deals, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each contact (plus handle and id), comma-separated, to save tokens: id, name, email, phone, title, stage, company_id, tags, custom, follow_up_at, follow_up_note, do_not_contact, owner, version, created_at, updated_at, deleted_refs, custom.<key>, company.<field>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
                /** @description Filters as query parameters of their own, field=value or field=<op>:value (e.g. stage=lead, amount_cents=gte:1000, company.domain=acme.com, custom.tier=gold); GET /help explains the operators. */
                filters?: {
                    [key: string]: string;
                };
                limit?: number;
                search?: string;
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description contacts.search: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: components["schemas"]["ContactRecord"][];
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.create": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: company, open_deals, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each contact (plus handle and id), comma-separated, to save tokens: id, name, email, phone, title, stage, company_id, tags, custom, follow_up_at, follow_up_note, do_not_contact, owner, version, created_at, updated_at, deleted_refs, custom.<key>, company.<field>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    company_id?: string | null;
                    custom?: {
                        [key: string]: components["schemas"]["JsonValue"];
                    } | null;
                    do_not_contact?: boolean;
                    email?: string | null;
                    follow_up_at?: string | null;
                    follow_up_note?: string | null;
                    name?: string | null;
                    owner?: string | null;
                    phone?: string | null;
                    stage?: string | null;
                    tags?: string[] | null;
                    title?: string | null;
                };
            };
        };
        responses: {
            /** @description contacts.create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The contact as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["ContactRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.get": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: company, open_deals, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each contact (plus handle and id), comma-separated, to save tokens: id, name, email, phone, title, stage, company_id, tags, custom, follow_up_at, follow_up_note, do_not_contact, owner, version, created_at, updated_at, deleted_refs, custom.<key>, company.<field>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description contacts.get: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: components["schemas"]["ContactRecord"];
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.delete": {
        parameters: {
            query?: {
                confirm?: string;
                expected_version?: number | string;
                version?: number | string;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description contacts.delete: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.update": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: company, open_deals, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each contact (plus handle and id), comma-separated, to save tokens: id, name, email, phone, title, stage, company_id, tags, custom, follow_up_at, follow_up_note, do_not_contact, owner, version, created_at, updated_at, deleted_refs, custom.<key>, company.<field>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    company_id?: string | null;
                    contact_id: string;
                    custom?: {
                        [key: string]: components["schemas"]["JsonValue"];
                    } | null;
                    do_not_contact?: boolean;
                    email?: string | null;
                    expected_version?: number | string;
                    follow_up_at?: string | null;
                    follow_up_note?: string | null;
                    name?: string | null;
                    owner?: string | null;
                    phone?: string | null;
                    stage?: string | null;
                    tags?: string[] | null;
                    title?: string | null;
                    version?: number | string;
                };
            };
        };
        responses: {
            /** @description contacts.update: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The contact as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["ContactRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "activities.create": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contact, deal. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each activity (plus handle and id), comma-separated, to save tokens: id, contact_id, deal_id, kind, occurred_at, body, created_by, version, created_at, deleted_refs, contact.<field>, deal.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    body: string;
                    contact_id: string;
                    deal_id?: string | null;
                    /** @enum {string} */
                    kind: "call" | "email" | "meeting" | "note" | "task";
                    occurred_at?: string;
                };
            };
        };
        responses: {
            /** @description activities.create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The activity as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["ActivityRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.get_context": {
        parameters: {
            query?: {
                max_chars?: number;
                max_items?: number;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description contacts.get_context: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.erase": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    code?: string;
                    contact_id: string;
                };
            };
        };
        responses: {
            /** @description contacts.erase: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.export_person": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description contacts.export_person: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.history": {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description contacts.history: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.merge": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: company, open_deals, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each contact (plus handle and id), comma-separated, to save tokens: id, name, email, phone, title, stage, company_id, tags, custom, follow_up_at, follow_up_note, do_not_contact, owner, version, created_at, updated_at, deleted_refs, custom.<key>, company.<field>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    contact_id: string;
                    from: string[];
                };
            };
        };
        responses: {
            /** @description contacts.merge: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The contact as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["ContactRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.propose_update": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: company, open_deals, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each contact (plus handle and id), comma-separated, to save tokens: id, name, email, phone, title, stage, company_id, tags, custom, follow_up_at, follow_up_note, do_not_contact, owner, version, created_at, updated_at, deleted_refs, custom.<key>, company.<field>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    changes: {
                        company_id?: string | null;
                        custom?: {
                            [key: string]: components["schemas"]["JsonValue"];
                        } | null;
                        do_not_contact?: boolean;
                        email?: string | null;
                        follow_up_at?: string | null;
                        follow_up_note?: string | null;
                        name?: string | null;
                        owner?: string | null;
                        phone?: string | null;
                        stage?: string | null;
                        tags?: string[] | null;
                        title?: string | null;
                    };
                    contact_id: string;
                };
            };
        };
        responses: {
            /** @description contacts.propose_update: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The contact as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["ContactRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.restore": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: company, open_deals, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each contact (plus handle and id), comma-separated, to save tokens: id, name, email, phone, title, stage, company_id, tags, custom, follow_up_at, follow_up_note, do_not_contact, owner, version, created_at, updated_at, deleted_refs, custom.<key>, company.<field>. A related record's field is <relation>.<field>, e.g. company.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    contact_id: string;
                };
            };
        };
        responses: {
            /** @description contacts.restore: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The contact as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["ContactRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.batch_upsert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    items: {
                        [key: string]: unknown;
                    }[];
                };
            };
        };
        responses: {
            /** @description contacts.batch_upsert: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.bulk_delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    confirm?: string;
                    search?: string;
                    where?: {
                        [key: string]: (string | number | boolean) | (string | number | boolean)[];
                    };
                };
            };
        };
        responses: {
            /** @description contacts.bulk_delete: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.bulk_update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    changes: {
                        company_id?: string | null;
                        custom?: {
                            [key: string]: components["schemas"]["JsonValue"];
                        } | null;
                        do_not_contact?: boolean;
                        email?: string | null;
                        follow_up_at?: string | null;
                        follow_up_note?: string | null;
                        name?: string | null;
                        owner?: string | null;
                        phone?: string | null;
                        stage?: string | null;
                        tags?: string[] | null;
                        title?: string | null;
                    };
                    search?: string;
                    where?: {
                        [key: string]: (string | number | boolean) | (string | number | boolean)[];
                    };
                };
            };
        };
        responses: {
            /** @description contacts.bulk_update: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.duplicates": {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                reason?: "same_email" | "same_phone" | "similar_name";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description contacts.duplicates: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "contacts.import_csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    csv: string;
                    map?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description contacts.import_csv: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.search": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description Related records to include, comma-separated: contact, company, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each deal (plus handle and id), comma-separated, to save tokens: id, title, amount_cents, currency, stage, status, contact_id, company_id, expected_close_at, closed_at, follow_up_at, follow_up_note, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
                /** @description Filters as query parameters of their own, field=value or field=<op>:value (e.g. stage=lead, amount_cents=gte:1000, company.domain=acme.com, custom.tier=gold); GET /help explains the operators. */
                filters?: {
                    [key: string]: string;
                };
                limit?: number;
                search?: string;
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deals.search: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: components["schemas"]["DealRecord"][];
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.create": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contact, company, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each deal (plus handle and id), comma-separated, to save tokens: id, title, amount_cents, currency, stage, status, contact_id, company_id, expected_close_at, closed_at, follow_up_at, follow_up_note, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    amount_cents?: number | null;
                    company_id?: string | null;
                    contact_id?: string | null;
                    currency?: string | null;
                    custom?: {
                        [key: string]: components["schemas"]["JsonValue"];
                    } | null;
                    expected_close_at?: string | null;
                    follow_up_at?: string | null;
                    follow_up_note?: string | null;
                    stage?: string | null;
                    /** @enum {string} */
                    status?: "open" | "won" | "lost";
                    tags?: string[] | null;
                    title: string;
                };
            };
        };
        responses: {
            /** @description deals.create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The deal as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["DealRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.get": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contact, company, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each deal (plus handle and id), comma-separated, to save tokens: id, title, amount_cents, currency, stage, status, contact_id, company_id, expected_close_at, closed_at, follow_up_at, follow_up_note, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                deal_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deals.get: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: components["schemas"]["DealRecord"];
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.delete": {
        parameters: {
            query?: {
                confirm?: string;
                expected_version?: number | string;
                version?: number | string;
            };
            header?: never;
            path: {
                deal_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deals.delete: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.update": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contact, company, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each deal (plus handle and id), comma-separated, to save tokens: id, title, amount_cents, currency, stage, status, contact_id, company_id, expected_close_at, closed_at, follow_up_at, follow_up_note, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                deal_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    amount_cents?: number | null;
                    company_id?: string | null;
                    contact_id?: string | null;
                    currency?: string | null;
                    custom?: {
                        [key: string]: components["schemas"]["JsonValue"];
                    } | null;
                    deal_id: string;
                    expected_close_at?: string | null;
                    expected_version?: number | string;
                    follow_up_at?: string | null;
                    follow_up_note?: string | null;
                    stage?: string | null;
                    /** @enum {string} */
                    status?: "open" | "won" | "lost";
                    tags?: string[] | null;
                    title?: string;
                    version?: number | string;
                };
            };
        };
        responses: {
            /** @description deals.update: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The deal as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["DealRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.history": {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                deal_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deals.history: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.restore": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contact, company, open_tasks, recent_activities. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each deal (plus handle and id), comma-separated, to save tokens: id, title, amount_cents, currency, stage, status, contact_id, company_id, expected_close_at, closed_at, follow_up_at, follow_up_note, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                deal_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    deal_id: string;
                };
            };
        };
        responses: {
            /** @description deals.restore: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The deal as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["DealRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.batch_create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    items: {
                        [key: string]: unknown;
                    }[];
                };
            };
        };
        responses: {
            /** @description deals.batch_create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.bulk_delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    confirm?: string;
                    search?: string;
                    where?: {
                        [key: string]: (string | number | boolean) | (string | number | boolean)[];
                    };
                };
            };
        };
        responses: {
            /** @description deals.bulk_delete: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.bulk_update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    changes: {
                        amount_cents?: number | null;
                        company_id?: string | null;
                        contact_id?: string | null;
                        currency?: string | null;
                        custom?: {
                            [key: string]: components["schemas"]["JsonValue"];
                        } | null;
                        expected_close_at?: string | null;
                        follow_up_at?: string | null;
                        follow_up_note?: string | null;
                        stage?: string | null;
                        /** @enum {string} */
                        status?: "open" | "won" | "lost";
                        tags?: string[] | null;
                        title?: string;
                    };
                    search?: string;
                    where?: {
                        [key: string]: (string | number | boolean) | (string | number | boolean)[];
                    };
                };
            };
        };
        responses: {
            /** @description deals.bulk_update: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "deals.import_csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    csv: string;
                    map?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description deals.import_csv: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "events.list": {
        parameters: {
            query?: {
                limit?: number;
                since?: string;
                types?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description events.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "humans.accept_invite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    code?: string;
                    invite: string;
                    /** @default human console */
                    token_name?: string;
                };
            };
        };
        responses: {
            /** @description humans.accept_invite: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "humans.get_invite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    invite: string;
                };
            };
        };
        responses: {
            /** @description humans.get_invite: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "objects.list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description objects.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "objects.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description The plural API name, e.g. projects: its records will live at /objects/projects/records. */
                    api_name: string;
                    description?: string;
                    /**
                     * @description The type's fields, in order.
                     * @default []
                     */
                    field_definitions?: {
                        api_name: string;
                        /** @description A value of the field type, used when a record leaves it out. */
                        default?: unknown;
                        /** @description Index it for equality and range filters and sorting. */
                        indexed?: boolean;
                        /** @description Shown to people; defaults to the API name. */
                        label?: string;
                        /** @description The choices of a select or multi_select. */
                        options?: string[];
                        /** @description For a relation: the type it points at, and whether it holds several records. */
                        relation?: {
                            many?: boolean;
                            /** @description contacts, companies, deals or a custom type of this workspace */
                            to: string;
                        };
                        required?: boolean;
                        /** @enum {string} */
                        type: "text" | "long_text" | "number" | "money" | "date" | "datetime" | "boolean" | "select" | "multi_select" | "email" | "url" | "phone" | "relation";
                        unique?: boolean;
                    }[];
                    label_plural: string;
                    label_singular: string;
                };
            };
        };
        responses: {
            /** @description objects.create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "objects.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                object: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description objects.get: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "objects.archive": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                object: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description objects.archive: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "objects.add_field": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                object: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    api_name: string;
                    /** @description A value of the field type, used when a record leaves it out. */
                    default?: unknown;
                    /** @description Index it for equality and range filters and sorting. */
                    indexed?: boolean;
                    /** @description Shown to people; defaults to the API name. */
                    label?: string;
                    /** @description contacts, companies, deals, or a custom type such as projects */
                    object: string;
                    /** @description The choices of a select or multi_select. */
                    options?: string[];
                    /** @description For a relation: the type it points at, and whether it holds several records. */
                    relation?: {
                        many?: boolean;
                        /** @description contacts, companies, deals or a custom type of this workspace */
                        to: string;
                    };
                    required?: boolean;
                    /** @enum {string} */
                    type: "text" | "long_text" | "number" | "money" | "date" | "datetime" | "boolean" | "select" | "multi_select" | "email" | "url" | "phone" | "relation";
                    unique?: boolean;
                };
            };
        };
        responses: {
            /** @description objects.add_field: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "objects.archive_field": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                field: string;
                object: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description objects.archive_field: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "objects.update_field": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                field: string;
                object: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    default?: unknown;
                    field: string;
                    indexed?: boolean;
                    label?: string;
                    /** @description contacts, companies, deals, or a custom type such as projects */
                    object: string;
                    options?: string[];
                    required?: boolean;
                };
            };
        };
        responses: {
            /** @description objects.update_field: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "objects.restore_field": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                field: string;
                object: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    field: string;
                    /** @description contacts, companies, deals, or a custom type such as projects */
                    object: string;
                };
            };
        };
        responses: {
            /** @description objects.restore_field: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "objects.restore": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                object: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description contacts, companies, deals, or a custom type such as projects */
                    object: string;
                };
            };
        };
        responses: {
            /** @description objects.restore: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "operations.get_status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description operations.get_status: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "operations.revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @default false */
                    apply?: boolean;
                    audit_id?: string;
                    from?: string;
                    operation_id?: string;
                    request_id?: string;
                    to?: string;
                    token_id?: string;
                };
            };
        };
        responses: {
            /** @description operations.revert: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "policy.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description policy.get: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "policy.update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    agent_deletes?: ("allow" | "require_approval" | "deny") | null;
                    agents_fill_empty_sensitive_fields?: boolean | null;
                    approve_agent_operations?: string[] | null;
                    approve_agent_tasks_for_people?: boolean | null;
                    approve_deal_close?: boolean | null;
                    bulk_approval_above?: number | null;
                    bulk_deny_above?: number | null;
                    bulk_window_max_records?: number | null;
                    bulk_window_seconds?: number | null;
                    hold_human_edited_fields?: boolean | null;
                    proposal_expiry_hours?: number | null;
                    schema_changes?: ("allow" | "require_approval" | "deny") | null;
                    sensitive_contact_fields?: ("name" | "email" | "phone" | "title" | "stage" | "company_id" | "tags" | "custom" | "follow_up_at" | "follow_up_note" | "do_not_contact" | "owner")[] | null;
                };
            };
        };
        responses: {
            /** @description policy.update: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "policy.set_auto_approve": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                operation: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    enabled: boolean;
                    operation: string;
                };
            };
        };
        responses: {
            /** @description policy.set_auto_approve: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "policy.explain_capabilities": {
        parameters: {
            query?: {
                tools?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description policy.explain_capabilities: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "proposals.list": {
        parameters: {
            query?: {
                agent_id?: string;
                cursor?: string;
                limit?: number;
                status?: "pending" | "approved" | "applied" | "rejected" | "stale" | "failed" | "expired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description proposals.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "proposals.get_status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                proposal_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description proposals.get_status: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "proposals.decide": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                proposal_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    code?: string;
                    /** @enum {string} */
                    decision: "approve" | "reject";
                    /** @description approve only: field → value replacing the proposed value before it is applied. */
                    edits?: {
                        [key: string]: unknown;
                    };
                    /** @description Why (shown to the agent on proposals.get_status and in the proposal.rejected event). */
                    note?: string;
                    proposal_id: string;
                };
            };
        };
        responses: {
            /** @description proposals.decide: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "proposals.decide_many": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description every pending proposal of this agent (oldest first) */
                    agent_id?: string;
                    code?: string;
                    /** @enum {string} */
                    decision: "approve" | "reject";
                    ids?: string[];
                    /** @description Why (shown to the agent on proposals.get_status and in the proposal.rejected event). */
                    note?: string;
                    /** @description with agent_id: only proposals of this operation */
                    operation?: string;
                };
            };
        };
        responses: {
            /** @description proposals.decide_many: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "reminders.list": {
        parameters: {
            query?: {
                cursor?: string;
                days?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description reminders.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "system.async_health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description system.async_health: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "tasks.list": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description Related records to include, comma-separated: contact, deal, company. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each task (plus handle and id), comma-separated, to save tokens: id, title, notes, due_at, status, completed_at, contact_id, deal_id, company_id, assignee, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, deal.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
                /** @description Filters as query parameters of their own, field=value or field=<op>:value (e.g. stage=lead, amount_cents=gte:1000, company.domain=acme.com, custom.tier=gold); GET /help explains the operators. */
                filters?: {
                    [key: string]: string;
                };
                limit?: number;
                search?: string;
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description tasks.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: components["schemas"]["TaskRecord"][];
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "tasks.create": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contact, deal, company. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each task (plus handle and id), comma-separated, to save tokens: id, title, notes, due_at, status, completed_at, contact_id, deal_id, company_id, assignee, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, deal.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    assignee?: string | null;
                    company_id?: string | null;
                    contact_id?: string | null;
                    custom?: {
                        [key: string]: components["schemas"]["JsonValue"];
                    } | null;
                    deal_id?: string | null;
                    due_at?: string | null;
                    notes?: string | null;
                    /** @enum {string} */
                    status?: "open" | "done" | "cancelled";
                    tags?: string[] | null;
                    title: string;
                };
            };
        };
        responses: {
            /** @description tasks.create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The task as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["TaskRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "tasks.get": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contact, deal, company. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each task (plus handle and id), comma-separated, to save tokens: id, title, notes, due_at, status, completed_at, contact_id, deal_id, company_id, assignee, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, deal.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description tasks.get: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: components["schemas"]["TaskRecord"];
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "tasks.update": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contact, deal, company. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each task (plus handle and id), comma-separated, to save tokens: id, title, notes, due_at, status, completed_at, contact_id, deal_id, company_id, assignee, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, deal.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    assignee?: string | null;
                    company_id?: string | null;
                    contact_id?: string | null;
                    custom?: {
                        [key: string]: components["schemas"]["JsonValue"];
                    } | null;
                    deal_id?: string | null;
                    due_at?: string | null;
                    expected_version?: number | string;
                    notes?: string | null;
                    /** @enum {string} */
                    status?: "open" | "done" | "cancelled";
                    tags?: string[] | null;
                    task_id: string;
                    title?: string;
                    version?: number | string;
                };
            };
        };
        responses: {
            /** @description tasks.update: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The task as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["TaskRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "tasks.complete": {
        parameters: {
            query?: {
                /** @description Related records to include, comma-separated: contact, deal, company. A single related record comes whole; lists hold the first 5 (with more.<name> saying where to read the rest). Related records are compact (no empty fields, version or timestamps). Saves a second call. */
                expand?: string;
                /** @description Only these fields of each task (plus handle and id), comma-separated, to save tokens: id, title, notes, due_at, status, completed_at, contact_id, deal_id, company_id, assignee, tags, custom, version, created_at, updated_at, deleted_refs, custom.<key>, contact.<field>, deal.<field>, company.<field>. A related record's field is <relation>.<field>, e.g. contact.name (null when there is none or it was deleted). */
                fields?: string;
            };
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    expected_version?: number | string;
                    task_id: string;
                    version?: number | string;
                };
            };
        };
        responses: {
            /** @description tasks.complete: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        /** @description The task as written; when outcome is proposed or denied, what the proposal or refusal says. */
                        data?: components["schemas"]["TaskRecord"] | ({
                            [key: string]: unknown;
                        } | null);
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "tasks.history": {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description tasks.history: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "tokens.list": {
        parameters: {
            query?: {
                all?: boolean | ("0" | "1" | "true" | "false");
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description tokens.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "tokens.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    expires_in_seconds?: number;
                    scopes?: string[] | string;
                    token_name: string;
                };
            };
        };
        responses: {
            /** @description tokens.create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "tokens.revoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description tokens.revoke: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "webhooks.list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description webhooks.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "webhooks.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    description?: string;
                    events: string[] | string;
                    url: string;
                };
            };
        };
        responses: {
            /** @description webhooks.create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "webhooks.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description webhooks.get: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "webhooks.delete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description webhooks.delete: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "webhooks.list_deliveries": {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "pending" | "succeeded" | "failed";
            };
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description webhooks.list_deliveries: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "webhooks.enable": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    webhook_id: string;
                };
            };
        };
        responses: {
            /** @description webhooks.enable: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "webhooks.replay": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    delivery_id?: string;
                    since?: string;
                    since_seq?: number;
                    webhook_id: string;
                };
            };
        };
        responses: {
            /** @description webhooks.replay: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "webhooks.test": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    webhook_id: string;
                };
            };
        };
        responses: {
            /** @description webhooks.test: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "account.whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description account.whoami: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "workspaces.list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description workspaces.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "workspaces.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description workspaces.create: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "workspaces.delete": {
        parameters: {
            query?: {
                code?: string;
            };
            header?: never;
            path: {
                workspace_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description workspaces.delete: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "members.invite": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    code?: string;
                    email: string;
                    name?: string;
                    /**
                     * @default member
                     * @enum {string}
                     */
                    role?: "admin" | "member";
                    workspace_id: string;
                };
            };
        };
        responses: {
            /** @description members.invite: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "members.revoke_invite": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                invite_id: string;
                workspace_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description members.revoke_invite: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "members.list": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description members.list: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "members.remove": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
                workspace_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description members.remove: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "members.set_role": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
                workspace_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    code?: string;
                    /** @enum {string} */
                    role: "admin" | "member";
                    user_id: string;
                    workspace_id: string;
                };
            };
        };
        responses: {
            /** @description members.set_role: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
    "workspaces.mint_token": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspace_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    scopes?: string[] | string;
                    token_name?: string;
                    workspace_id: string;
                };
            };
        };
        responses: {
            /** @description workspaces.mint_token: the envelope (JSON, with Accept: application/json) or record lines (text). */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope"] & {
                        data?: unknown;
                    };
                    "text/plain": string;
                };
            };
            /** @description A failure: the error envelope with code, message and hint (or error/hint lines in text). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/plain": string;
                };
            };
        };
    };
}
