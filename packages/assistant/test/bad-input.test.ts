import { ConfigurationError, ScopeError, ValidationError } from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { describeBadInputConformance } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import * as assistantPackage from '../src/index';

describeBadInputConformance({ name: '@neptune/assistant', exports: assistantPackage });

describe("an assistant's methods refuse bad input with a typed error, and never start the request", () => {
  const assistant = assistantPackage.createAssistant({ model: extractiveChatModel(), memory: false });
  const scope = { workspaceId: 'acme', userId: 'ana' };
  const bad: Array<[string, unknown]> = [
    ['no request', undefined],
    ['a string', 'How do refunds work?'],
    ['no scope', { message: 'hi' }],
    ['a scope id with a separator', { scope: { workspaceId: 'a:b' }, message: 'hi' }],
    ['a prototype-named field only', { scope, constructor: 'x' }],
    ['a message of 4,001 characters', { scope, message: 'x'.repeat(4_001) }],
    ['a lone surrogate in the conversation id', { scope, message: 'hi', conversationId: 'a\ud800' }],
    ['a signal that is not one', { scope, message: 'hi', signal: {} }],
  ];
  it.each(bad)('%s', async (_name, request) => {
    for (const method of [assistant.prepare, assistant.respond]) {
      const failure = await method(request as never).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(ValidationError.isInstance(failure) || ScopeError.isInstance(failure)).toBe(true);
    }
  });
  it('refuses bad options with a ConfigurationError naming the option', () => {
    for (const options of [
      {},
      { model: {} },
      { model: extractiveChatModel(), timeouts: { knowledge: -1 } },
      { model: extractiveChatModel(), knowledge: 'kb' },
    ]) {
      expect(() => assistantPackage.createAssistant(options as never)).toThrow(ConfigurationError);
    }
  });
});
