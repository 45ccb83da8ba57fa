import { SfnApiError, validation } from './errors.js';

/**
 * One page of a list, as the Step Functions list operations page: at most `maxResults` items
 * (AWS's default and ceiling: 100 and 1000) and an opaque `nextToken` for the rest. The token
 * names the list it belongs to, so a token of one list is refused by another, as on AWS.
 */
export function page<T>(
  items: readonly T[],
  request: { maxResults?: number | undefined; nextToken?: string | undefined },
  listId: string,
): { items: T[]; nextToken?: string } {
  const maxResults = request.maxResults || 100;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 1000) {
    throw validation(`maxResults must be a whole number from 0 to 1000, got ${request.maxResults}`);
  }
  const offset = request.nextToken ? offsetIn(request.nextToken, listId) : 0;
  const end = offset + maxResults;
  return {
    items: items.slice(offset, end),
    ...(end < items.length ? { nextToken: encode({ listId, offset: end }) } : {}),
  };
}

function encode(token: { listId: string; offset: number }): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function offsetIn(nextToken: string, listId: string): number {
  try {
    const token = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as {
      listId?: unknown;
      offset?: unknown;
    };
    if (token.listId === listId && Number.isInteger(token.offset)) return token.offset as number;
  } catch {
    // Not one of ours: refused below.
  }
  throw new SfnApiError('InvalidToken', `Invalid Token: '${nextToken}'`);
}
