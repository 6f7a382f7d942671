import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScopeError } from './errors';
import { sameScope, scopeKeys, validateScope } from './scope';

describe('validateScope', () => {
  it('accepts ordinary ids: slugs, UUIDs, emails, provider ids, other scripts', () => {
    for (const id of [
      'acme',
      'f47ac10b-58cc-4372-a567-0e02b2c3d479',
      'ana@example.com',
      'auth0|123',
      'équipe_7',
      '会社',
    ]) {
      expect(validateScope({ workspaceId: id, userId: id })).toEqual({ workspaceId: id, userId: id });
    }
  });

  it.each([
    [{ workspaceId: '' }, /workspaceId is empty/],
    [{ workspaceId: '   ' }, /workspaceId is empty/],
    [{ workspaceId: 'a:b' }, /not allowed/],
    [{ workspaceId: 'a*' }, /not allowed/],
    [{ workspaceId: 'a b' }, /not allowed/],
    [{ workspaceId: 'a/b' }, /not allowed/],
    [{ workspaceId: '{a}' }, /not allowed/],
    [{ workspaceId: 'a\nb' }, /not allowed/],
    [{ workspaceId: 'x'.repeat(129) }, /129 characters long/],
    [{ workspaceId: 42 }, /must be a string, received 42/],
    [{ workspaceId: 'acme', userId: '' }, /userId is empty/],
    [{ workspaceId: 'acme', userId: 'u:1' }, /userId "u:1" contains/],
    [null, /must be an object/],
    ['acme', /must be an object/],
  ])('rejects %j with a ScopeError that says what was wrong', (scope, message) => {
    let thrown: unknown;
    try {
      validateScope(scope);
    } catch (error) {
      thrown = error;
    }
    expect(ScopeError.isInstance(thrown)).toBe(true);
    expect((thrown as ScopeError).code).toBe('invalid-scope');
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('scopeKeys', () => {
  it('derives prefixes, namespace and filter in one place', () => {
    const workspace = scopeKeys({ workspaceId: 'acme' });
    expect(workspace.keyPrefix).toBe('ws:acme:shared:');
    expect(workspace.workspacePrefix).toBe('ws:acme:');
    expect(workspace.filter).toEqual({ workspaceId: 'acme', userId: null });
    expect(workspace.key('context', 'crm')).toBe('ws:acme:shared:context:crm');
    const user = scopeKeys({ workspaceId: 'acme', userId: 'ana' });
    expect(user.keyPrefix).toBe('ws:acme:user:ana:');
    expect(user.namespace).toBe('acme:ana');
  });

  it('no two distinct valid scopes share a key prefix, and none is a prefix of another workspace', () => {
    const id = fc.stringMatching(/^[a-z0-9_.@+|=-]{1,12}$/);
    const scope = fc.record({ workspaceId: id, userId: fc.option(id, { nil: undefined }) });
    fc.assert(
      fc.property(scope, scope, (a, b) => {
        const keysA = scopeKeys(a);
        const keysB = scopeKeys(b);
        if (sameScope(a, b)) return keysA.keyPrefix === keysB.keyPrefix;
        const overlap =
          keysA.keyPrefix.startsWith(keysB.keyPrefix) || keysB.keyPrefix.startsWith(keysA.keyPrefix);
        const crossWorkspace =
          a.workspaceId !== b.workspaceId &&
          (keysA.keyPrefix.startsWith(keysB.workspacePrefix) ||
            keysB.keyPrefix.startsWith(keysA.workspacePrefix));
        return !overlap && !crossWorkspace;
      }),
    );
  });
});
