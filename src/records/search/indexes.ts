import type { SearchIndex } from '../../store/search-index.js';

/**
 * The search index of each searchable table. A migration creates each one (createSearchIndex) and
 * the repository queries it with the same definition, so changing an entry needs a migration that
 * re-creates the index. Companies (name, domain) and deals (title) get theirs when they land:
 *   companies: { table: 'companies', fuzzy: ['name', 'domain'], text: ['industry', 'website'], digits: [] }
 *   deals:     { table: 'deals', fuzzy: ['title'], text: ['follow_up_note'], digits: [] }
 */
export const SEARCH_INDEXES = {
  contacts: {
    table: 'contacts',
    fuzzy: ['name', 'email', 'title'],
    text: ['phone', 'follow_up_note'],
    digits: ['phone'],
  },
} as const satisfies Record<string, SearchIndex>;
