import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScopeError } from './errors';
import { Scope, sameScope, scopeKeys, validateScope } from './scope';

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

describe('Scope.of, the one constructor', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('checks a scope the first time its ids are seen, and never again for the same ids', () => {
    const check = vi.spyOn(Scope, 'of');
    const workspaceId = `once-${Math.random().toString(36).slice(2)}`;
    const first = scopeKeys({ workspaceId, userId: 'ana' });
    expect(check).toHaveBeenCalledTimes(1);
    // Another object with the same ids, the checked scope, its workspace, and validateScope: all remembered.
    expect(scopeKeys({ workspaceId, userId: 'ana' })).toBe(first);
    expect(scopeKeys(first.scope)).toBe(first);
    expect(scopeKeys({ workspaceId }).scope).toBe(first.workspace);
    expect(validateScope({ workspaceId, userId: 'ana' })).toBe(first.scope);
    expect(check).toHaveBeenCalledTimes(1);
    scopeKeys({ workspaceId, userId: 'ben' });
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('returns a frozen copy holding only the ids, whatever else the input carries', () => {
    const input = { workspaceId: 'frozen-ws', userId: 'u1', role: 'admin' };
    const scope = Scope.of(input);
    expect(scope).toEqual({ workspaceId: 'frozen-ws', userId: 'u1' });
    expect(Object.isFrozen(scope)).toBe(true);
    expect(scope).not.toBe(input);
  });

  it('reads the ids each time, so an object changed after its check is checked again and refused if bad', () => {
    const input: { workspaceId: string; userId?: string } = { workspaceId: 'mutable-ws', userId: 'u1' };
    expect(scopeKeys(input).keyPrefix).toBe('ws:mutable-ws:user:u1:');
    input.userId = 'u2';
    expect(scopeKeys(input).keyPrefix).toBe('ws:mutable-ws:user:u2:');
    input.workspaceId = 'other:ws';
    expect(() => scopeKeys(input)).toThrow(ScopeError);
    delete input.userId;
    input.workspaceId = 'mutable-ws';
    expect(scopeKeys(input).keyPrefix).toBe('ws:mutable-ws:shared:');
  });

  it('refuses what it refused before, even for a workspace already known', () => {
    scopeKeys({ workspaceId: 'known-ws' });
    expect(() => scopeKeys({ workspaceId: 'known-ws', userId: 'a:b' })).toThrow(/not allowed/);
    expect(() => scopeKeys({ workspaceId: 'known-ws', userId: null } as never)).toThrow(/must be a string/);
    expect(() => Scope.of('known-ws')).toThrow(/must be an object/);
  });
});
