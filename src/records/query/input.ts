import { z } from 'zod';

const filterValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/**
 * The input of every list operation. Over HTTP, query parameters other than these become
 * `where` entries (`?stage=lead` → `where.stage = "lead"`); tool calls send `where` directly.
 */
export const listInput = z.strictObject({
  where: z
    .record(z.string().min(1).max(100), z.union([filterValue, z.array(filterValue).min(1).max(20)]))
    .refine((where) => Object.keys(where).length <= 30, 'at most 30 filter fields')
    .optional(),
  search: z.string().max(200).optional(),
  sort: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1, 'limit is at least 1').optional(),
  cursor: z.string().max(2000).optional(),
});
