import OpenAI from 'openai';
import { ConfigurationError, describeValue } from '../errors';
import { resolveSetting } from '../validation';

export interface OpenAIClientSettings {
  readonly apiKey?: string | undefined;
  readonly baseURL?: string | undefined;
  readonly organization?: string | undefined;
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly client?: OpenAI | undefined;
}

/**
 * The client a factory uses: the one passed in, or one built from the options and environment. Ours is
 * built with `maxRetries: 0` because retries are Neptune's (jittered, typed, observable); calls also pass
 * `maxRetries: 0` per request so that a caller's own client does not retry underneath us either.
 */
export function resolveOpenAIClient(settings: OpenAIClientSettings, what: string): OpenAI {
  if (settings.client !== undefined) {
    const conflicting = (['apiKey', 'baseURL', 'organization', 'fetch'] as const).filter(
      (name) => settings[name] !== undefined,
    );
    if (conflicting.length > 0) {
      throw new ConfigurationError({
        message: `${what}: pass either \`client\` or ${conflicting.map((name) => `\`${name}\``).join(', ')}, not both. Configure the client you pass instead.`,
        details: { conflicting },
      });
    }
    return settings.client;
  }
  const apiKey = resolveSetting({
    value: settings.apiKey,
    optionName: 'apiKey',
    environmentVariable: 'OPENAI_API_KEY',
    description: `The OpenAI API key for ${what}`,
  });
  const baseURL = resolveSetting({
    value: settings.baseURL,
    optionName: 'baseURL',
    environmentVariable: 'OPENAI_BASE_URL',
    description: 'The OpenAI base URL',
    required: false,
  });
  if (baseURL !== undefined && !isUrl(baseURL)) {
    throw new ConfigurationError({
      message: `${what}: the base URL ${describeValue(baseURL)} (from the \`baseURL\` option or OPENAI_BASE_URL) is not a URL. Use the full endpoint, e.g. "https://api.openai.com/v1".`,
    });
  }
  return new OpenAI({
    apiKey,
    baseURL,
    organization: settings.organization,
    fetch: settings.fetch,
    maxRetries: 0,
  });
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
